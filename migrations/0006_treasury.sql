-- The treasury (Stadtkasse) role: sees the payments of every office, no case files.
-- PostgreSQL names the inline column check of 0001_core.sql staff_roles_role_check; replacing it by name
-- fails loudly if that ever differs, rather than leaving the old list in force.
alter table staff_roles drop constraint staff_roles_role_check;
alter table staff_roles add constraint staff_roles_role_check
  check (role in ('caseworker', 'team_lead', 'office_admin', 'platform_admin', 'treasury'));
-- Bookings by day for the treasury's exports (receipts by paid_at, refunds by their date).
create index payments_paid_at on payments (paid_at, id) where paid_at is not null;
create index payment_refunds_created on payment_refunds (created_at, id);
-- The treasury's list across all offices, newest first, paged by (created_at, id).
create index payments_created on payments (created_at desc, id desc);
