export {
  isConditionMet,
  visiblePages,
  visibleFields,
  prefilledFieldIds,
  pruneHiddenAnswers,
  isAddress,
  isFileAnswer,
  applicantNameOf,
  applicantEmailOf,
  applicantAddressLines,
  addressLines,
  PREFILLED_KEY,
  type Answers,
  type AnswerValue,
  type AddressAnswer,
} from './forms.answers.js'
export {
  readPageInput,
  validatePage,
  validateAllPages,
  validateField,
  normalizeNumberText,
  type AnswerError,
  type RawValues,
} from './forms.validate.js'
export { FormField } from './views/form-field.js'
export { formatAnswer } from './views/answer-format.js'
export { fieldTypes, fieldTypeOf } from './field-types/index.js'
