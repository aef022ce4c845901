-- Pre-sorting (triage): the examples the model learns from (the starter set and every routing decision a caseworker
-- confirmed or corrected) and the trained models, one active per kind.
create table triage_examples (
  id bigint generated always as identity primary key,
  kind text not null check (kind in ('report', 'contact')),
  text text not null,
  label text not null,
  office text not null,
  source text not null check (source in ('starter', 'confirmed', 'corrected')),
  -- A text and its variations share a group; the held-out split is decided per group, so it stays stable.
  group_key text not null,
  lang text,
  created_at timestamptz not null default now(),
  confirmed_by_staff_id uuid references staff(id)
);
create index triage_examples_kind on triage_examples (kind, created_at);

create table triage_models (
  id bigint generated always as identity primary key,
  kind text not null check (kind in ('report', 'contact')),
  version integer not null,
  -- Labels, label → office, when trained, on how many examples, held-out figures.
  meta jsonb not null,
  -- Feature indices, weights and biases (see triage.model.ts serializeModel).
  weights bytea not null,
  active boolean not null default false,
  created_at timestamptz not null default now(),
  unique (kind, version)
);
create index triage_models_active on triage_models (kind, version desc) where active;
