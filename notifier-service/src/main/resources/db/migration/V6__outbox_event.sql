-- The shared outbox (service-support): a delivery's outcome event is stored in the transaction that
-- records the outcome, and the relay publishes it. Created exactly as service-support/README.md says.
create table outbox_event (
    seq          bigint generated always as identity primary key,
    ce_id        varchar(200) not null unique,
    ce_type      varchar(100) not null,
    subject      varchar(200) not null,
    source       varchar(200) not null,
    event_time   timestamptz  not null,
    data         text         not null,
    traceparent  varchar(100),
    created_at   timestamptz  not null default now(),
    published_at timestamptz
);
create index outbox_event_unpublished on outbox_event (seq) where published_at is null;

-- Outcomes recorded before the outbox whose event Kafka had not acknowledged yet (the old sweep
-- would have published them): carried over, with the ce_id the sweep would have used —
-- EventIds.derive("notification", subscription, event[, "resend", n]), a version 3 UUID — so
-- nothing accepted is lost and a consumer that saw one already drops the copy.
insert into outbox_event (ce_id, ce_type, subject, source, event_time, data, traceparent)
select substr(h, 1, 8) || '-' || substr(h, 9, 4) || '-3' || substr(h, 14, 3) || '-'
           || substr('89ab89ab89ab89ab', strpos('0123456789abcdef', substr(h, 17, 1)), 1)
           || substr(h, 18, 3) || '-' || substr(h, 21, 12),
       'io.tributary.notification.' || status,
       subscription_id,
       '/tributary/notifier-service',
       coalesce(finished_at, now()),
       data,
       traceparent
from (
    select md5(convert_to('io.tributary.events' || chr(31) || 'notification' || chr(31)
                   || d.subscription_id || chr(31) || d.event_id
                   || case when d.resends = 0 then ''
                           else chr(31) || 'resend' || chr(31) || d.resends end, 'UTF8')) as h,
           d.status,
           d.subscription_id,
           d.finished_at,
           d.traceparent,
           jsonb_strip_nulls(jsonb_build_object(
               'subscriptionId', d.subscription_id,
               'channel', s.channel,
               'eventId', d.event_id,
               'eventType', d.event_type,
               'attempts', d.attempts,
               'status', d.status,
               'message', d.last_error,
               'deliveryId', d.id,
               'correlationId', d.correlation_id))::text as data
    from delivery d
    join subscription s on s.id = d.subscription_id
    where d.status in ('delivered', 'failed') and not d.outcome_published
    order by d.finished_at, d.id
) unpublished
on conflict (ce_id) do nothing;

-- The old bookkeeping goes; claimed_at was never written.
drop index delivery_unpublished;
alter table delivery drop column outcome_published;
alter table delivery drop column claimed_at;
