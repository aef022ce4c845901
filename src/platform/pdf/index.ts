// PDF letters of the city (receipts, fee notices, other notices): modules supply the content.
export { renderLetterPdf } from './letter.js'
export type { Letter, LetterBlock, LetterOffice, LabelledValue, TableColumn } from './letter.js'
export { letterheadOf, loadLetterhead, LetterheadError, LetterheadSchema } from './letterhead.js'
export type { Letterhead } from './letterhead.js'
