-- A session's CSRF token is an HMAC of its cookie token (src/platform/auth/sessions.ts), for signed-in and anonymous
-- browsers alike, so the stored copy was never read.
alter table sessions drop column csrf_token;
