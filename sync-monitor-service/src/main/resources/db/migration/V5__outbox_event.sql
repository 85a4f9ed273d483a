-- The shared outbox (service-support): each event is stored in the transaction that decides it and
-- published after the commit by the relay, in store order.
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

-- The monitor's own outbox goes: flags on the request rows (started_published, refusal_published)
-- and the job phase 'ending', published by the monitor itself. What it had decided but not
-- published yet is listed here; OutboxCarryOver stores it in outbox_event at the next start, before
-- the instance serves anything, with the ids and data the old outbox would have sent, and empties
-- this table.
--
-- The tables are locked first, so that an instance of the previous version still running (a rolling
-- update) changes nothing between the listing and the end of this migration. Afterwards it cannot
-- store anything it would publish itself: its writes name the columns dropped below and fail.
lock table sync_request, airbyte_job in access exclusive mode;

create table legacy_unpublished (
    kind        varchar(8)  not null,   -- started (request_id) | refused (request_id) | ended (job_id)
    job_id      bigint,
    request_id  varchar(64)
);

insert into legacy_unpublished (kind, job_id, request_id)
    select 'started', job_id, request_id from sync_request
    where status = 'assigned' and not started_published;
insert into legacy_unpublished (kind, job_id, request_id)
    select 'refused', null, request_id from sync_request
    where status = 'refused' and not refusal_published;
insert into legacy_unpublished (kind, job_id, request_id)
    select 'ended', job_id, null from airbyte_job
    where phase = 'ending';

update airbyte_job set phase = 'ended' where phase = 'ending';

drop index sync_request_unannounced;
drop index sync_request_refusals;
drop index airbyte_job_ending;
alter table sync_request drop column started_published;
alter table sync_request drop column refusal_published;
alter table airbyte_job drop column published_at;
