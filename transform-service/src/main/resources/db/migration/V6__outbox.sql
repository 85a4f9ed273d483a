-- transform.* events are stored in service-support's outbox with the run's change and published by
-- its relay (the table exactly as service-support/README.md has it).
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

-- What the runs' old "published" flags say Kafka has not acknowledged yet is carried over, so no
-- event is lost: the same ce_id (EventIds.derive("transform", runId, status), a name-based UUID
-- version 3: the MD5 of 'io.tributary.events' U+001F 'transform' U+001F run id U+001F status, with
-- the version and variant bits set), the same data as TransformEventPublisher builds (RFC 3339 UTC
-- times, an ISO-8601 elapsed, no null fields), in the run's trace; started before the end.
insert into outbox_event (ce_id, ce_type, subject, source, event_time, data, traceparent)
select substr(e.h, 1, 8) || '-' || substr(e.h, 9, 4) || '-3' || substr(e.h, 14, 3) || '-'
           || substr('89ab', (('x' || substr(e.h, 17, 1))::bit(4)::int & 3) + 1, 1)
           || substr(e.h, 18, 3) || '-' || substr(e.h, 21, 12),
       'io.tributary.transform.' || e.event_status,
       e.transform_name,
       '/tributary/transform-service',
       e.event_time,
       jsonb_strip_nulls(jsonb_build_object(
           'transformName', e.transform_name,
           'runId', e.run_id::text,
           'status', e.event_status,
           'command', e.command,
           'select', e.select_expr,
           'target', e.target,
           'trigger', jsonb_build_object(
               'kind', e.trigger_kind,
               'syncJobIds', to_jsonb(e.sync_job_ids),
               'connectionIds', to_jsonb(e.connection_ids)),
           'startedAt', to_char(e.started_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
           'finishedAt', case when e.ending then
               to_char(e.finished_at at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') end,
           'elapsed', case when e.ending and e.started_at is not null and e.finished_at is not null
               then 'PT' || extract(epoch from e.finished_at - e.started_at)::text || 'S' end,
           'exitCode', case when e.ending then e.exit_code end,
           'summary', case when e.ending then e.summary end,
           'failures', case when e.ending then coalesce(e.failures, '[]'::jsonb) else '[]'::jsonb end,
           'correlationId', e.correlation_id,
           'message', case when e.ending then
               coalesce(e.message, case when e.status = 'cancelled' then 'cancelled' end) end,
           'correlationIds', to_jsonb(e.correlation_ids)))::text,
       e.traceparent
from (
    select r.*, u.event_status, u.ending, u.event_time,
           md5(convert_to('io.tributary.events' || chr(31) || 'transform' || chr(31)
               || r.run_id::text || chr(31) || u.event_status, 'UTF8')) as h
    from transform_run r
    cross join lateral (
        select 'started' as event_status, false as ending, coalesce(r.started_at, now()) as event_time
        where r.status <> 'queued' and not r.started_published
        union all
        select case when r.status = 'succeeded' then 'succeeded' else 'failed' end, true,
               coalesce(r.finished_at, now())
        where r.status in ('succeeded', 'failed', 'cancelled') and not r.finished_published
    ) u
) e
order by e.queued_at, e.run_id, e.ending;

alter table transform_run drop column started_published, drop column finished_published;
