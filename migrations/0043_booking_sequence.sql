-- Appointments (docs/appointments.md): a calendar entry sent to the person must say which version it is (RFC 5545
-- SEQUENCE), so a moved or cancelled appointment replaces the one in their calendar instead of adding another.
alter table bookings add column sequence integer not null default 0;
-- The waiting list offers a freed time to the next person: who is waiting for a place is looked up by its days.
create index booking_waitlist_period on booking_waitlist (resource_id, first_day, last_day)
  where fulfilled_booking_id is null and withdrawn_at is null;
