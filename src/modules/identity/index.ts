export { completeExternalSignIn, type SignInOutcome, type SignInProblem } from './identity.sign-in.js'
export { identityHolder } from './identity.links.js'
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
export { createOidcProtocol } from './identity.oidc.js'
export {
  createOidcProvider,
  generateSigningKey,
  DEMO_ACR,
  type DemoIdentity,
} from './identity.oidc-demo.js'
