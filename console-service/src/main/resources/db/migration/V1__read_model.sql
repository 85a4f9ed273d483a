-- Every CloudEvent the console has read, once (ce_id), with its headers and data: the raw material
-- of a run's page, and what the run summaries are derived from.
create table pipeline_event (
    event_id        varchar(200)  primary key,
    event_type      varchar(120)  not null,
    topic           varchar(249)  not null,
    kafka_partition integer       not null,
    kafka_offset    bigint        not null,
    record_key      varchar(500),
    event_time      timestamptz   not null,
    correlation_id  varchar(200),
    data            jsonb         not null,
    headers         jsonb         not null,
    received_at     timestamptz   not null
);

create index pipeline_event_requests on pipeline_event ((data ->> 'requestId'))
    where event_type = 'io.tributary.sync.requested';
create index pipeline_event_jobs on pipeline_event ((data ->> 'jobId'))
    where data ? 'jobId';
create index pipeline_event_request_ids on pipeline_event using gin ((data -> 'requestIds'));
create index pipeline_event_notified on pipeline_event ((data ->> 'eventId'))
    where event_type like 'io.tributary.notification.%';

-- Which runs (correlation ids) an event belongs to: its own correlation id, and those of the
-- requests a job served (a job started for one run can serve requests of others).
create table run_event (
    correlation_id  varchar(200)  not null,
    event_id        varchar(200)  not null references pipeline_event (event_id) on delete cascade,
    primary key (correlation_id, event_id)
);
create index run_event_by_event on run_event (event_id);

-- One row per run, derived from its events (recomputed whenever one arrives, whatever the order).
create table pipeline_run (
    correlation_id  varchar(200)  primary key,
    started_at      timestamptz   not null,
    updated_at      timestamptz   not null,
    status          varchar(16)   not null,
    trigger_kind    varchar(16),
    trigger_id      varchar(200),
    connections     text[]        not null,
    transforms      text[]        not null,
    steps           jsonb         not null,
    failure         varchar(1000),
    event_count     integer       not null
);
create index pipeline_run_recent on pipeline_run (started_at desc, correlation_id);
create index pipeline_run_by_status on pipeline_run (status, started_at desc);
create index pipeline_run_by_connection on pipeline_run using gin (connections);
create index pipeline_run_by_transform on pipeline_run using gin (transforms);

-- Records of the services' dead-letter topics, with the reason the service gave.
create table dead_letter (
    topic            varchar(249)  not null,
    kafka_partition  integer       not null,
    kafka_offset     bigint        not null,
    record_key       varchar(500),
    reason           varchar(2000),
    source_topic     varchar(249),
    source_partition integer,
    source_offset    bigint,
    headers          jsonb         not null,
    value_text       text,
    received_at      timestamptz   not null,
    primary key (topic, kafka_partition, kafka_offset)
);
create index dead_letter_recent on dead_letter (received_at desc);

-- Records the console could not read (not a CloudEvent, unreadable data): counted per topic.
create table unreadable_record (
    topic            varchar(249)  not null,
    kafka_partition  integer       not null,
    kafka_offset     bigint        not null,
    reason           varchar(1000) not null,
    received_at      timestamptz   not null,
    primary key (topic, kafka_partition, kafka_offset)
);

-- Signed-in browsers: the cookie carries a random id, only its SHA-256 is stored.
create table console_session (
    id_hash      varchar(64)   primary key,
    caller       varchar(200)  not null,
    scope        varchar(8)    not null,
    csrf_token   varchar(64)   not null,
    created_at   timestamptz   not null,
    expires_at   timestamptz   not null
);
