-- Acting on behalf (issue 17): mandates of a person for a child, a ward or a principal, checked once by an office;
-- members of a business account acting for the company; and on each draft and case, who acted for whom.

-- A mandate: the agent (an account) acts for the principal (a person named here; an account once it confirmed).
create table mandates (
  id uuid primary key,
  agent_account_id uuid references accounts(id) on delete set null,
  kind text not null check (kind in ('parent', 'guardian', 'authorised')),
  principal_given_name text not null,
  principal_family_name text not null,
  principal_birth_date date not null,
  -- the address a confirmation link went to; the principal's account once they confirmed with it
  principal_email text,
  principal_token_hash text,
  principal_account_id uuid references accounts(id) on delete set null,
  principal_confirmed_at timestamptz,
  status text not null check (status in ('pending', 'active', 'rejected', 'revoked')),
  -- the office that checks the proof once
  office_id text not null references offices(id),
  proof_file_id uuid references files(id) on delete set null,
  created_at timestamptz not null,
  decided_at timestamptz,
  decided_by_staff_id uuid references staff(id) on delete set null,
  rejection_reason text,
  ended_at timestamptz,
  ended_by text check (ended_by in ('agent', 'principal', 'office', 'erasure'))
);
create index mandates_agent on mandates (agent_account_id);
create index mandates_principal on mandates (principal_account_id) where principal_account_id is not null;
create index mandates_pending on mandates (office_id, created_at) where status = 'pending';

-- A member of a business account: a person's account with a role, invited by e-mail, accepted while signed in.
create table business_members (
  id uuid primary key,
  business_account_id uuid not null references accounts(id) on delete cascade,
  member_account_id uuid references accounts(id) on delete cascade,
  role text not null check (role in ('owner', 'clerk')),
  invited_email text not null,
  invite_token_hash text,
  status text not null check (status in ('invited', 'active', 'removed')),
  invited_at timestamptz not null,
  accepted_at timestamptz,
  removed_at timestamptz
);
create index business_members_business on business_members (business_account_id);
create index business_members_member on business_members (member_account_id) where member_account_id is not null;
create unique index business_members_active on business_members (business_account_id, member_account_id)
  where status = 'active';

-- For whom a draft is filled in, chosen before the form ("Für wen stellen Sie diesen Antrag?").
alter table drafts add column mandate_id uuid references mandates(id) on delete set null;
alter table drafts add column business_account_id uuid references accounts(id) on delete set null;

-- Who acted for whom on a case: the account that acted stays cases.account_id; these say for whom and under what.
alter table cases add column mandate_id uuid references mandates(id) on delete set null;
alter table cases add column business_account_id uuid references accounts(id) on delete set null;
alter table cases add column acted_by_name text;
alter table cases add column represented_name text;
alter table cases add column represented_relation text
  check (represented_relation in ('parent', 'guardian', 'authorised', 'owner', 'clerk'));
create index cases_mandate on cases (mandate_id) where mandate_id is not null;
create index cases_business on cases (business_account_id) where business_account_id is not null;
