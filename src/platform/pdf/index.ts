// PDF letters of the city (receipts, fee notices, other notices): modules supply the content.
export { renderLetterPdf } from './letter.js'
export type { Letter, LetterBlock } from './letter.js'
export { letterheadOf, loadLetterhead, LetterheadError } from './letterhead.js'
export type { Letterhead } from './letterhead.js'
