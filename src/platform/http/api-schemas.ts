import { Type, type Static, type TSchema } from '@sinclair/typebox'

/** Every refusal of the machine context (error-policy.ts): a stable code and a message in the client's language. */
export const ErrorBody = Type.Object(
  {
    code: Type.String({ description: 'Stable identifier of the refusal, e.g. errors.notFound' }),
    message: Type.String({ description: 'What went wrong, in German or English (language cookie; default German)' }),
  },
  { $id: 'Error' },
)

/**
 * A reference to a schema shared with `addSchema` (its `$id`), typed like the schema itself: the OpenAPI
 * document names it once under components instead of repeating it at every use.
 */
export function refTo<T extends TSchema>(schema: T) {
  if (!schema.$id) throw new Error('refTo: the schema has no $id to refer to')
  return Type.Unsafe<Static<T>>(Type.Ref(schema.$id))
}

/** The error answers every API operation may give besides its own: refusals (4xx) and failures (5xx). */
export const errorAnswers = {
  '4xx': { ...refTo(ErrorBody), description: 'Refused: the code and message say why' },
  '5xx': { ...refTo(ErrorBody), description: 'Failed on our side (503: the database is briefly unavailable)' },
}
