export { completeExternalSignIn, type SignInOutcome, type SignInProblem } from './identity.sign-in.js'
export { IdentityProblemPage } from './views/problem.js'
export type {
  ExternalIdentity,
  IdentityProtocol,
  IdentityProviderConfig,
  SignInIntent,
} from './identity.types.js'
