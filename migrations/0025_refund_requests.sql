-- Four-eyes principle for large refunds: above REFUND_APPROVAL_ABOVE_CENTS a refund is first only requested, and a
-- second person approves, rejects or the requester withdraws it. Nothing is reserved while it waits; approval
-- reserves and executes the refund, and the refund (payment_refunds) takes the request's id, so one request can
-- never become two refunds.
create table payment_refund_requests (
  id uuid primary key,
  payment_id uuid not null references payments(id),
  amount_cents integer not null check (amount_cents > 0),
  reason text not null,
  status text not null default 'requested' check (status in ('requested', 'approved', 'rejected', 'withdrawn')),
  requested_by_staff_id uuid not null references staff(id),
  decided_by_staff_id uuid references staff(id),
  decision_reason text,
  decided_at timestamptz,
  created_at timestamptz not null default now(),
  -- The requester never decides their own request, except to withdraw it.
  check (status in ('requested', 'withdrawn') or decided_by_staff_id <> requested_by_staff_id),
  check ((status = 'requested') = (decided_at is null))
);
create index payment_refund_requests_payment on payment_refund_requests (payment_id, created_at);
-- The approvers' list: what still waits, oldest first.
create index payment_refund_requests_waiting on payment_refund_requests (created_at) where status = 'requested';
