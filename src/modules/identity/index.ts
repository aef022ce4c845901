export { identityHolder } from './identity.links.js'
export { loadIdentityProviders } from './identity.config.js'
export { identityRoutes, signInOptions, type SignInOption } from './identity.routes.js'
export type { IdentityProtocol, IdentityProviderConfig } from './identity.types.js'
export { samlProtocol } from './identity.saml.js'
export { forgetExpiredSamlSignIns } from './identity.saml.queries.js'
export { createOidcProtocol } from './identity.oidc.js'
export {
  createOidcProvider,
  generateSigningKey,
  DEMO_ACR,
  type DemoIdentity,
} from './identity.oidc-demo.js'
