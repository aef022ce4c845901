// oidc-provider 8 ships no types; the part the demo provider and the tests use.
declare module 'oidc-provider' {
  import type { IncomingMessage, ServerResponse } from 'node:http'

  export interface KoaContext {
    path: string
    method: string
    req: IncomingMessage
    res: ServerResponse
    body: unknown
    status: number
    type: string
    host: string
    set(name: string, value: string): void
    oidc?: { uid?: string }
  }
  export type Middleware = (ctx: KoaContext, next: () => Promise<void>) => Promise<void>

  export interface InteractionDetails {
    uid: string
    prompt: { name: string; reasons: string[]; details: Record<string, unknown> }
    params: Record<string, string | undefined>
    grantId?: string
  }

  export interface GrantInstance {
    addOIDCScope(scope: string): void
    save(): Promise<string>
  }

  export default class Provider {
    constructor(issuer: string, configuration: Record<string, unknown>)
    issuer: string
    proxy: boolean
    use(middleware: Middleware): void
    callback(): (req: IncomingMessage, res: ServerResponse) => void
    interactionDetails(req: IncomingMessage, res: ServerResponse): Promise<InteractionDetails>
    interactionFinished(
      req: IncomingMessage,
      res: ServerResponse,
      result: Record<string, unknown>,
      options?: { mergeWithLastSubmission?: boolean },
    ): Promise<void>
    Grant: new (properties: {
      accountId: string
      clientId: string
    }) => GrantInstance
    on(event: string, listener: (...args: unknown[]) => void): void
  }
}
