-- The virtual citizen office (M11): video consultations at a booking of a video desk. A call's existence is kept
-- (who admitted whom, when it started and ended, an identity check), never its content: no recording, no chat log.
create table video_calls (
  booking_id uuid primary key references bookings(id) on delete cascade,
  -- the case the call belongs to: the booking's, or one the caseworker linked during the call
  case_id uuid references cases(id) on delete set null,
  state text not null default 'waiting' check (state in ('waiting', 'admitted', 'ended')),
  -- when the person last came into the waiting room
  waiting_since timestamptz,
  admitted_at timestamptz,
  admitted_by uuid references staff(id) on delete set null,
  ended_at timestamptz,
  ended_by text check (ended_by in ('person', 'staff')),
  identity_checked_at timestamptz,
  identity_checked_by uuid references staff(id) on delete set null
);
create index video_calls_case on video_calls (case_id) where case_id is not null;

-- Signalling messages too large for a NOTIFY payload (a session description), held only until the other side's
-- stream has read them: deleted when the call ends, and by the daily retention run after a day at the latest.
create table video_signals (
  id uuid primary key,
  booking_id uuid not null references bookings(id) on delete cascade,
  sender text not null check (sender in ('person', 'staff')),
  body text not null,
  created_at timestamptz not null
);
create index video_signals_booking on video_signals (booking_id);
create index video_signals_created on video_signals (created_at);
