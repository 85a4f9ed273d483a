-- Evaluation of expectations (issue 19). The timer's state lives in the expectation row itself
-- (next_deadline_at, claimed with "for update skip locked"), so a restart or a second replica
-- judges each deadline once.
alter table expectation add column missed_at timestamptz;           -- when the current miss was raised
alter table expectation add column missed_deadline_at timestamptz;  -- the deadline that was missed

-- What was raised about each expectation, newest first on the console.
create table expectation_history (
    event_id        varchar(64)  primary key,  -- the ce_id of the event raised
    expectation_id  varchar(64)  not null references expectation (id) on delete cascade,
    type            text         not null check (type in ('missed', 'recovered')),
    at              timestamptz  not null,
    deadline        timestamptz  not null,
    last_kept_at    timestamptz,
    late_by         text,                      -- ISO-8601 duration
    message         text         not null,
    rows_synced     bigint,
    median_rows     bigint,
    threshold       bigint,
    job_id          bigint,
    correlation_id  text                       -- the run that broke (volume) or kept it again
);
create index expectation_history_recent on expectation_history (expectation_id, at desc);

-- Rows of every successful sync (volume promises compare a sync with the median of the previous
-- ones); pruned to the newest 100 per connection, the largest history a promise may ask for.
create table sync_volume (
    connection_id  varchar(100) not null,
    job_id         bigint       not null,
    rows_synced    bigint       not null check (rows_synced >= 0),
    finished_at    timestamptz  not null,
    primary key (connection_id, job_id)
);
create index sync_volume_recent on sync_volume (connection_id, finished_at desc);
