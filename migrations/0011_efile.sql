-- The electronic case file (E-Akte): every document of a case (submitted data, attachments, messages, notes,
-- statements, notices, fee notices, receipts), each version kept with who and when, full-text searchable,
-- and nothing deleted before the case's retention period (cases.retain_until) has ended.

create table file_documents (
  id uuid primary key,
  -- Cascades only once the case itself may go: the trigger on cases refuses an early delete.
  case_id uuid not null references cases(id) on delete cascade,
  kind text not null check (kind in ('submission', 'attachment', 'message', 'note', 'statement', 'notice', 'fee_notice', 'receipt', 'other')),
  title text not null,
  current_version integer not null default 1 check (current_version >= 1),
  created_at timestamptz not null default now(),
  updated_at timestamptz not null default now()
);
create index file_documents_case on file_documents (case_id, created_at, id);

-- A version is never changed: an edit is a new version. Text, a file, or both.
create table file_document_versions (
  document_id uuid not null references file_documents(id) on delete cascade,
  version integer not null check (version >= 1),
  title text not null,
  text_content text,
  -- No cascade: a file on record cannot be deleted while a version points at it.
  file_id uuid references files(id),
  -- Text found in an uploaded or generated PDF by the efile.extractText job (no OCR of images).
  extracted_text text,
  extracted_at timestamptz,
  -- Language of the case: german for German cases, english for English ones; 'simple' is always added,
  -- so exact words (names, numbers, references) are found whatever the language.
  search_config regconfig not null default 'simple',
  created_by_staff_id uuid references staff(id),
  created_by_account_id uuid references accounts(id),
  created_at timestamptz not null default now(),
  search tsvector generated always as (
    setweight(to_tsvector(search_config, coalesce(title, '')), 'A')
    || to_tsvector(search_config, coalesce(text_content, '') || ' ' || coalesce(extracted_text, ''))
    || to_tsvector('simple'::regconfig, coalesce(title, '') || ' ' || coalesce(text_content, '') || ' ' || coalesce(extracted_text, ''))
  ) stored,
  primary key (document_id, version),
  check (text_content is not null or file_id is not null)
);
create index file_document_versions_search on file_document_versions using gin (search);
create index file_document_versions_file on file_document_versions (file_id) where file_id is not null;

-- Retention: a case, its documents and their versions stay until retain_until has passed.
create function efile_refuse_case_delete() returns trigger language plpgsql as $$
begin
  if old.retain_until >= current_date then
    raise exception 'case % is retained until %; it cannot be deleted before', old.reference, old.retain_until
      using errcode = 'restrict_violation';
  end if;
  return old;
end $$;
create trigger cases_retention before delete on cases for each row execute function efile_refuse_case_delete();

-- When the case row is already gone (a cascade from a case whose retention has ended), the case's trigger decided.
create function efile_refuse_document_delete() returns trigger language plpgsql as $$
declare
  kept_until date;
begin
  select retain_until into kept_until from cases where id = old.case_id;
  if kept_until is not null and kept_until >= current_date then
    raise exception 'documents of a case are retained until %; document % cannot be deleted before', kept_until, old.id
      using errcode = 'restrict_violation';
  end if;
  return old;
end $$;
create trigger file_documents_retention before delete on file_documents for each row execute function efile_refuse_document_delete();

create function efile_guard_document_update() returns trigger language plpgsql as $$
begin
  if new.id <> old.id or new.case_id <> old.case_id or new.kind <> old.kind or new.created_at <> old.created_at
     or new.current_version < old.current_version then
    raise exception 'document % of the case file cannot be moved, retyped or rolled back', old.id
      using errcode = 'restrict_violation';
  end if;
  return new;
end $$;
create trigger file_documents_guard before update on file_documents for each row execute function efile_guard_document_update();

create function efile_refuse_version_delete() returns trigger language plpgsql as $$
declare
  kept_until date;
begin
  select c.retain_until into kept_until from file_documents d join cases c on c.id = d.case_id where d.id = old.document_id;
  if kept_until is not null and kept_until >= current_date then
    raise exception 'documents of a case are retained until %; version % of document % cannot be deleted before', kept_until, old.version, old.document_id
      using errcode = 'restrict_violation';
  end if;
  return old;
end $$;
create trigger file_document_versions_retention before delete on file_document_versions for each row execute function efile_refuse_version_delete();

-- Only the text found by extraction may be added later; what was filed stays as it was.
create function efile_guard_version_update() returns trigger language plpgsql as $$
begin
  if new.document_id <> old.document_id or new.version <> old.version or new.title <> old.title
     or new.text_content is distinct from old.text_content or new.file_id is distinct from old.file_id
     or new.search_config <> old.search_config or new.created_at <> old.created_at
     or new.created_by_staff_id is distinct from old.created_by_staff_id
     or new.created_by_account_id is distinct from old.created_by_account_id then
    raise exception 'version % of document % is on record and cannot be changed; file a new version', old.version, old.document_id
      using errcode = 'restrict_violation';
  end if;
  return new;
end $$;
create trigger file_document_versions_guard before update on file_document_versions for each row execute function efile_guard_version_update();

-- A stored file on record keeps its bytes.
create function efile_guard_file_update() returns trigger language plpgsql as $$
begin
  if exists (select 1 from file_document_versions where file_id = old.id)
     and (new.sha256 is distinct from old.sha256 or new.content is distinct from old.content) then
    raise exception 'file % is part of a case file and cannot be changed', old.id using errcode = 'restrict_violation';
  end if;
  return new;
end $$;
create trigger files_efile_guard before update on files for each row execute function efile_guard_file_update();

-- Backfill: the file of every existing case. Ids derive from the source row (md5 as uuid), so the
-- statements below find each other's rows.

-- Submitted data, as "key: value" lines (the application renders labelled text for new cases).
insert into file_documents (id, case_id, kind, title, created_at, updated_at)
select md5('efile:submission:' || c.id)::uuid, c.id, 'submission',
  (case when c.locale = 'en' then 'Application' else 'Antrag' end)
    || coalesce(': ' || (select sv.definition -> 'title' ->> (case when c.locale = 'en' then 'en' else 'de' end)
                         from service_versions sv where sv.service_id = c.service_id and sv.version = c.service_version), ''),
  c.submitted_at, c.submitted_at
from cases c;

insert into file_document_versions (document_id, version, title, text_content, search_config, created_by_staff_id, created_by_account_id, created_at)
select d.id, 1, d.title,
  coalesce((
    select string_agg(a.key || ': ' || case
        when jsonb_typeof(a.value) = 'string' then a.value #>> '{}'
        when jsonb_typeof(a.value) = 'array' then (select string_agg(x, ', ') from jsonb_array_elements_text(a.value) x)
        when jsonb_typeof(a.value) = 'object' and a.value ? 'filename' then a.value ->> 'filename'
        when jsonb_typeof(a.value) = 'object' and a.value ? 'street' then
          concat_ws(' ', a.value ->> 'street', a.value ->> 'houseNumber') || ', ' || concat_ws(' ', a.value ->> 'postalCode', a.value ->> 'city')
        else a.value::text end, E'\n' order by a.key)
    from jsonb_each(case when jsonb_typeof(c.answers) = 'object' then c.answers else '{}'::jsonb end) a
    where a.key not like '\_%'), ''),
  (case c.locale when 'de' then 'german' when 'en' then 'english' else 'simple' end)::regconfig,
  c.filed_by_staff_id, c.account_id, c.submitted_at
from cases c join file_documents d on d.id = md5('efile:submission:' || c.id)::uuid;

-- Files of cases: fee notices, receipts, and everything else (uploads with the application or a reply) as attachments.
insert into file_documents (id, case_id, kind, title, created_at, updated_at)
select md5('efile:file:' || f.id)::uuid, f.case_id,
  case
    when exists (select 1 from fee_notices n where n.file_id = f.id) then 'fee_notice'
    when exists (select 1 from payments p where p.receipt_file_id = f.id) then 'receipt'
    else 'attachment' end,
  coalesce(
    (select (case when c.locale = 'en' then 'Fee notice ' else 'Gebührenbescheid ' end) || n.number from fee_notices n where n.file_id = f.id limit 1),
    (select (case when c.locale = 'en' then 'Payment receipt ' else 'Zahlungsquittung ' end) || p.reference from payments p where p.receipt_file_id = f.id limit 1),
    f.filename),
  f.created_at, f.created_at
from files f join cases c on c.id = f.case_id;

insert into file_document_versions (document_id, version, title, file_id, search_config, created_by_staff_id, created_by_account_id, created_at)
select d.id, 1, d.title, f.id,
  (case c.locale when 'de' then 'german' when 'en' then 'english' else 'simple' end)::regconfig,
  f.uploaded_by_staff_id, f.uploaded_by_account_id, f.created_at
from files f join cases c on c.id = f.case_id join file_documents d on d.id = md5('efile:file:' || f.id)::uuid;

-- Messages, both directions.
insert into file_documents (id, case_id, kind, title, created_at, updated_at)
select md5('efile:message:' || m.id)::uuid, m.case_id, 'message', m.subject, m.created_at, m.created_at
from messages m;

insert into file_document_versions (document_id, version, title, text_content, search_config, created_by_staff_id, created_by_account_id, created_at)
select md5('efile:message:' || m.id)::uuid, 1, m.subject, m.body,
  (case c.locale when 'de' then 'german' when 'en' then 'english' else 'simple' end)::regconfig,
  m.sender_staff_id, case when m.direction = 'from_applicant' then m.account_id end, m.created_at
from messages m join cases c on c.id = m.case_id;

-- Internal notes; the timeline entry learns its document, so the note can be edited as a new version.
insert into file_documents (id, case_id, kind, title, created_at, updated_at)
select md5('efile:note:' || e.id)::uuid, e.case_id, 'note', case when c.locale = 'en' then 'Note' else 'Notiz' end, e.at, e.at
from case_events e join cases c on c.id = e.case_id
where e.kind = 'note' and coalesce(e.data ->> 'text', '') <> '';

insert into file_document_versions (document_id, version, title, text_content, search_config, created_by_staff_id, created_at)
select d.id, 1, d.title, e.data ->> 'text',
  (case c.locale when 'de' then 'german' when 'en' then 'english' else 'simple' end)::regconfig,
  e.actor_staff_id, e.at
from case_events e join cases c on c.id = e.case_id join file_documents d on d.id = md5('efile:note:' || e.id)::uuid;

update case_events set data = data || jsonb_build_object('documentId', md5('efile:note:' || id)::uuid::text)
where kind = 'note' and coalesce(data ->> 'text', '') <> '';

-- Text of the PDFs on file, found by the background job.
insert into jobs (name, payload, singleton_key)
select 'efile.extractText', jsonb_build_object('documentId', v.document_id, 'version', v.version),
  'efile.extractText:' || v.document_id || ':' || v.version
from file_document_versions v join files f on f.id = v.file_id
where f.media_type = 'application/pdf';
