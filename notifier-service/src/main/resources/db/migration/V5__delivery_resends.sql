-- A failed delivery queued again (POST /api/deliveries/{id}/resend): how many times, so that each
-- round's outcome event has its own ce_id, and when last, so that its maximum age counts from then.
alter table delivery add column resends integer not null default 0;
alter table delivery add column resent_at timestamptz;
