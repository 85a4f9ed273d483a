-- Airbyte jobs the monitor started or attached to, with their ending (an outbox: 'ending' rows
-- hold an ending that is persisted but not yet acknowledged by Kafka).
create table airbyte_job (
    job_id               bigint        primary key,
    connection_id        varchar(64)   not null,
    job_type             varchar(16)   not null,
    attached             boolean       not null,
    airbyte_status       varchar(32)   not null,
    created_at           timestamptz   not null,
    tracked_at           timestamptz   not null,
    correlation_id       varchar(200),
    deadline_at          timestamptz   not null,
    next_check_at        timestamptz   not null,
    last_checked_at      timestamptz,
    last_progress_log_at timestamptz,
    rows_synced          bigint,
    bytes_synced         bigint,
    hint_message         varchar(2000),
    phase                varchar(16)   not null,
    ending_status        varchar(16),
    ending_reason        varchar(32),
    ending_message       varchar(2000),
    finished_at          timestamptz,
    detected_at          timestamptz,
    detected_by          varchar(16),
    published_at         timestamptz,
    cancel_requested_at  timestamptz
);

-- Tributary runs at most one Airbyte job per connection at a time: the database says so too.
create unique index airbyte_job_one_active on airbyte_job (connection_id) where phase = 'active';
create index airbyte_job_due on airbyte_job (next_check_at) where phase = 'active';
create index airbyte_job_ending on airbyte_job (job_id) where phase = 'ending';
create index airbyte_job_by_connection on airbyte_job (connection_id, created_at desc);

-- A request is pending, then assigned to the job that serves it, or refused (with a reason).
alter table sync_request add column job_id bigint references airbyte_job (job_id);
alter table sync_request add column attached boolean;
alter table sync_request add column assigned_at timestamptz;
alter table sync_request add column started_published boolean not null default false;
alter table sync_request add column refusal_reason varchar(32);
alter table sync_request add column refusal_message varchar(1000);
alter table sync_request add column refusal_published boolean not null default false;

create index sync_request_by_job on sync_request (job_id);
create index sync_request_unannounced on sync_request (job_id)
    where status = 'assigned' and not started_published;
create index sync_request_refusals on sync_request (request_id)
    where status = 'refused' and not refusal_published;

-- Per-connection policies (PUT /api/connections/{id}/policy).
create table connection_policy (
    connection_id    varchar(64)  primary key,
    min_records      bigint,
    deadline_seconds bigint,
    updated_at       timestamptz  not null
);

-- A POST /jobs whose answer never came: before posting again, the connection's jobs are listed.
create table connection_state (
    connection_id      varchar(64)  primary key,
    post_attempted_at  timestamptz
);

-- Small named values of the monitor (e.g. the last look at GET /jobs?updatedAtStart=...).
create table monitor_state (
    name        varchar(64)  primary key,
    value_time  timestamptz
);
