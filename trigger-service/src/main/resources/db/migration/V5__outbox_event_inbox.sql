-- The shared outbox of service-support (its README has this DDL): every sync request is stored here in
-- the transaction that decides it and published by the relay with its stored ce_id.
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

-- What the old outbox had not published yet moves over, in its order: the old relay published each
-- request with its request id as ce_id, so a re-send after the upgrade keeps that id.
insert into outbox_event (ce_id, ce_type, subject, source, event_time, data, created_at)
select request_id, 'io.tributary.sync.requested', connection_id, '/tributary/trigger-service',
       created_at, payload, created_at
from outbox where published_at is null order by seq
on conflict (ce_id) do nothing;
drop table outbox;

-- The shared inbox (service-support's ProcessedEvents) keeps the type and subject of each event too.
alter table processed_event rename column processed_at to received_at;
alter table processed_event add column event_type varchar(100);
update processed_event set event_type = 'unknown (before V5)';
alter table processed_event alter column event_type set not null;
alter table processed_event add column subject varchar(200);

-- A delivery's requests are now stored with its row, in one transaction: 'pending' means stored and
-- not yet confirmed to a caller, 'done' confirmed (answered 2xx). A 'pending' row left by the old
-- code was a claim whose requests were never stored: remove it, so the sender's retry stores them.
delete from received_delivery where status = 'pending';
alter table received_delivery drop column claimed_at;
