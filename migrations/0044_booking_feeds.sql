-- Calendar feeds for staff (docs/booking.md): a resource's bookings as an iCalendar subscription at a secret URL,
-- created by the office's staff, revocable. Only the secret's hash is kept: a leaked database gives no working URL.
create table booking_feeds (
  id uuid primary key,
  resource_id text not null references booking_resources(id),
  label text not null,
  secret_hash text not null,
  created_by uuid references staff(id) on delete set null,
  created_at timestamptz not null,
  revoked_at timestamptz,
  -- when a calendar program last read it: an office sees which subscriptions are still in use
  last_read_at timestamptz
);
create index booking_feeds_resource on booking_feeds (resource_id) where revoked_at is null;
