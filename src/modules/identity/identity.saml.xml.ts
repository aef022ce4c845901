import { Extractor, setDOMParserOptions } from 'samlify'

/**
 * Reading SAML messages before (the envelope) and after (the verified assertion) node-saml checks them. samlify's
 * parser refuses malformed XML and entity references (XXE); here also what it only warns about (an unclosed
 * attribute): no correct SAML message has it, and the warning would otherwise go to the console, not our log.
 */
setDOMParserOptions({
  errorHandler: {
    warning: (message: string) => {
      throw new Error(`XML parsing warning: ${message}`)
    },
    error: (message: string) => {
      throw new Error(`XML parsing error: ${message}`)
    },
    fatalError: (message: string) => {
      throw new Error(`XML fatal error: ${message}`)
    },
  },
})

export const extractXml = Extractor.extract
