-- Transform definitions (validated JSON; from the REST API or the YAML file loaded at start).
create table transform_definition (
    name        varchar(64)  primary key,
    spec        jsonb        not null,
    origin      varchar(10)  not null check (origin in ('api', 'file')),
    created_at  timestamptz  not null default now(),
    updated_at  timestamptz  not null default now()
);

-- Runs, and the persisted queue: a 'queued' row is a run waiting for its time (debounce) and for
-- its dbt project to be free. At most one queued run per transform (triggers merge into it) and
-- at most one running run per dbt project, both enforced by the database.
create table transform_run (
    run_id               uuid         primary key,
    transform_name       varchar(64)  not null,
    project_key          varchar(1024) not null,
    status               varchar(16)  not null
        check (status in ('queued', 'running', 'succeeded', 'failed', 'cancelled')),
    trigger_kind         varchar(16)  not null,
    sync_job_ids         bigint[]     not null default '{}',
    connection_ids       text[]       not null default '{}',
    trigger_count        int          not null default 1,
    correlation_id       varchar(200),
    attempt              int          not null default 1,
    requeued_from        uuid,
    not_before           timestamptz  not null,
    queued_at            timestamptz  not null default now(),
    started_at           timestamptz,
    finished_at          timestamptz,
    heartbeat_at         timestamptz,
    owner                varchar(100),
    pid                  bigint,
    runner               varchar(10),
    command              varchar(16),
    select_expr          text,
    target               varchar(64),
    exit_code            int,
    summary              jsonb,
    failures             jsonb,
    message              text,
    log_tail             text,
    cancel_requested_by  varchar(100),
    started_published    boolean      not null default false,
    finished_published   boolean      not null default false
);
create unique index transform_run_one_queued on transform_run (transform_name) where status = 'queued';
create unique index transform_run_one_running_per_project on transform_run (project_key) where status = 'running';
create index transform_run_by_transform on transform_run (transform_name, queued_at desc);
create index transform_run_due on transform_run (not_before) where status = 'queued';

-- Per-node results: progress from dbt's JSON log while running, run_results.json at the end.
create table transform_node_result (
    run_id          uuid          not null references transform_run (run_id) on delete cascade,
    unique_id       varchar(512)  not null,
    status          varchar(32)   not null,
    execution_time  double precision,
    rows_affected   bigint,
    failures        bigint,
    message         text,
    updated_at      timestamptz   not null default now(),
    primary key (run_id, unique_id)
);

-- Fan-in ("when: all"): which upstream connections have succeeded since the transform's last
-- run was queued. Cleared when that run is queued.
create table transform_fan_in (
    transform_name  varchar(64)   not null,
    connection_id   varchar(200)  not null,
    job_id          bigint,
    correlation_id  varchar(200),
    succeeded_at    timestamptz   not null default now(),
    primary key (transform_name, connection_id)
);
