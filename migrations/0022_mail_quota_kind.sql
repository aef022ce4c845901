-- Only mails that a stranger can send to an address typed into one of our forms (an anonymous form's receipt, a
-- password-reset link, following a defect report) count towards the hourly quota per address; our notifications to
-- a known address (status, deadlines, postbox, the receipt for a signed-in account's own confirmed address) never
-- use it up, so a busy applicant still gets the link they ask for.
alter table mail_outbox add column quota_bound boolean not null default false;

-- The quota reads only quota-bound mails of one address within the hour.
drop index mail_outbox_recipient;
create index mail_outbox_quota on mail_outbox (recipient, created_at) where quota_bound;
