-- Levels of assurance per service (issue 17): each case records how sure the platform was of who submitted it — the
-- eIDAS level of the session (low, substantial, high) and the identity provider it was signed in with (none for a
-- password or no sign-in). A case filed by staff at the counter records no level: the person was identified there,
-- in person, by the member of staff named in filed_by_staff_id.
alter table cases add column assurance text default 'low' check (assurance in ('low', 'substantial', 'high'));
alter table cases add column identity_provider text;
update cases set assurance = null where filed_by_staff_id is not null;

-- The level a draft was sent with, written when its owner submits it: a fee paid up front may turn the draft into a
-- case only later, when the provider confirms the payment and no session is at hand.
alter table drafts add column assurance text check (assurance in ('low', 'substantial', 'high'));
alter table drafts add column identity_provider text;
