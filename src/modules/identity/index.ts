export { completeExternalSignIn, type SignInOutcome, type SignInProblem } from './identity.sign-in.js'
export { IdentityProblemPage } from './views/problem.js'
export { loadIdentityProviders } from './identity.config.js'
export { identityRoutes, signInOptions, type SignInOption } from './identity.routes.js'
export type {
  ExternalIdentity,
  IdentityProtocol,
  IdentityProviderConfig,
  SignInIntent,
} from './identity.types.js'
export { samlProtocol } from './identity.saml.js'
export { forgetExpiredSamlSignIns } from './identity.saml.queries.js'
