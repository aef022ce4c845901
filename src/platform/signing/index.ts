// Electronic signatures on the city's PDF letters (PAdES baseline B-B, SubFilter ETSI.CAdES.detached).
//
// At boot, once:
//   const signers = loadPdfSigners({ file: config.signingConfigFile, cityName: config.cityName, env: process.env, officeIds })
// When a notice is issued:
//   const signed = await signers.signerFor(office.id, office.name.de).sign(pdf, {
//     reason: 'Gebührenbescheid GB-2026-000123', location: 'Dortmund', signerName: 'Stadt Dortmund – Ordnungsamt',
//   })
// Store and send `signed` unchanged: any later change to the bytes, even appending, shows in a validator.
// Which certificate signs for which office is set in config/signing.yaml (docs/signing.md).
export { loadPdfSigners } from './signers.js'
export type { PdfSigners } from './signers.js'
export { createPdfSigner } from './pdf-signer.js'
export type { PdfSigner, SignatureInfo } from './pdf-signer.js'

export { createDemoCredentials } from './credentials.js'
