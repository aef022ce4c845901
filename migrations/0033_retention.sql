-- Retention that runs itself (docs/retention.md). A service's retention counts from the case's closure: an open case
-- has no end of retention (null) and is never deleted; reaching a final state sets retain_until.
alter table cases alter column retain_until drop not null;

-- The retention run's day comes from the platform's clock (a test moves it forward years); it tells the triggers
-- below inside its own transaction (set_config(..., true)). It can only move the day later than the server's, never
-- earlier, and an open case (null) stays refused whatever the day.
create function retention_today() returns date language sql stable as $$
  select greatest(current_date, coalesce(nullif(current_setting('bauhaus.retention_today', true), '')::date, current_date))
$$;

create or replace function efile_refuse_case_delete() returns trigger language plpgsql as $$
begin
  if old.retain_until is null or old.retain_until >= retention_today() then
    raise exception 'case % is retained until %; it cannot be deleted before', old.reference, coalesce(old.retain_until::text, 'its closure')
      using errcode = 'restrict_violation';
  end if;
  return old;
end $$;

create or replace function efile_refuse_document_delete() returns trigger language plpgsql as $$
declare
  kept_until date;
  case_open boolean;
begin
  select retain_until, retain_until is null into kept_until, case_open from cases where id = old.case_id;
  if case_open or (kept_until is not null and kept_until >= retention_today()) then
    raise exception 'documents of a case are retained until %; document % cannot be deleted before', coalesce(kept_until::text, 'its closure'), old.id
      using errcode = 'restrict_violation';
  end if;
  return old;
end $$;

create or replace function efile_refuse_version_delete() returns trigger language plpgsql as $$
declare
  kept_until date;
  case_open boolean;
begin
  select c.retain_until, c.retain_until is null into kept_until, case_open
    from file_documents d join cases c on c.id = d.case_id where d.id = old.document_id;
  if case_open or (kept_until is not null and kept_until >= retention_today()) then
    raise exception 'documents of a case are retained until %; version % of document % cannot be deleted before', coalesce(kept_until::text, 'its closure'), old.version, old.document_id
      using errcode = 'restrict_violation';
  end if;
  return old;
end $$;

create index cases_retain_until on cases (retain_until) where retain_until is not null;
create index drafts_updated on drafts (updated_at) where case_id is null;
create index mail_outbox_created on mail_outbox (created_at);
create index audit_log_at on audit_log (at);

-- Aussonderung (§ 5 ArchivG NRW): the expired cases of a service with `retention.archive: true` are offered to the
-- archive, which decides for each: take it over ('archive', archivwürdig) or release it for deletion ('destroy',
-- kassieren). Nothing of such a case is deleted before the decision. The row goes with its case.
create table archive_offers (
  case_id uuid primary key references cases(id) on delete cascade,
  -- What the offer list shows and the deletion log names, copied at the offer: nothing personal.
  service_id text not null,
  office_id text not null,
  offered_at timestamptz not null default now(),
  decision text check (decision in ('archive', 'destroy')),
  decided_by_staff_id uuid references staff(id),
  decided_at timestamptz
);
create index archive_offers_open on archive_offers (offered_at) where decision is null;

-- What went to the archive: the xdomea message (Aussonderung.Aussonderung.0503) with the files, as one ZIP the
-- archivist downloads. It holds personal data on its way to the archive, so it is kept only for a few days
-- (RETENTION_ARCHIVE_TRANSFER_DAYS).
create table archive_transfers (
  id uuid primary key,
  created_at timestamptz not null default now(),
  case_count integer not null check (case_count > 0),
  filename text not null,
  zip bytea not null
);
