/**
 * The least a production start needs (NODE_ENV=production has no built-in secrets, docs/operations.md): tests of
 * production behaviour start from this and change one thing.
 */
export const PRODUCTION_ENV: Readonly<Record<string, string>> = {
  NODE_ENV: 'production',
  BASE_URL: 'https://service.stadt.example',
  PAYMENT_PROVIDER: 'stripe',
  STRIPE_SECRET_KEY: 'sk_test_production_settings',
  STRIPE_WEBHOOK_SECRET: 'whsec_production_settings',
  ALTCHA_HMAC_KEY: 'a-production-altcha-key-for-tests',
  CLAMD_SOCKET: '/run/clamav/clamd.ctl',
}
