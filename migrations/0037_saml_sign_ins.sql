-- SAML 2.0 sign-ins (issue 17): every AuthnRequest we send, so that a response is taken only for a request of ours,
-- once, from the browser that started it. The identity provider posts its answer cross-site, where our session
-- cookie (SameSite=lax) does not arrive: the ACS keeps the checked identity under a one-time code bound to the
-- request, and the browser, back on our site with its cookie, fetches it with the code.
create table saml_sign_ins (
  -- the AuthnRequest's ID, which the response names in InResponseTo
  request_id text primary key,
  provider_id text not null,
  -- sha256 of the session token of the browser that started the sign-in
  browser_hash text not null,
  return_to text not null,
  -- the level the person needs (null: any)
  assurance text check (assurance in ('low', 'substantial', 'high')),
  link boolean not null,
  -- the language of the pages shown to the person when the provider's answer arrives without our cookies
  locale text not null,
  created_at timestamptz not null,
  -- the request, and after the answer the code, is no longer taken after this
  expires_at timestamptz not null,
  answered_at timestamptz,
  -- sha256 of the one-time code the ACS hands to the browser
  code_hash text unique,
  -- the checked identity between the ACS and the browser's return (minutes; deleted when taken or expired)
  identity jsonb
);
create index saml_sign_ins_expires on saml_sign_ins (expires_at);
