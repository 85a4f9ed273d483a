-- Expectations (issue 19): promises about a subject's successes — freshness ("succeeds at least
-- every D"), deadline ("by each cron time it has succeeded since the previous one") or volume
-- (a sync's rows against a minimum and its recent median). Exactly one promise per row.
create table expectation (
    id                varchar(64)  primary key,
    name              varchar(200) not null unique,
    subject_kind      varchar(20)  not null check (subject_kind in ('connection', 'transform')),
    subject_id        varchar(100) not null,  -- connection UUID (lowercase) or transform name
    promise           varchar(20)  not null check (promise in ('freshness', 'deadline', 'volume')),
    every             text,                   -- freshness: ISO-8601 duration
    cron              text,                   -- deadline: 5-field cron ...
    time_zone         text,                   -- ... in this IANA zone
    min_rows          bigint       check (min_rows >= 0),        -- volume
    fraction          double precision check (fraction between 0 and 1),
    history           integer      check (history between 1 and 100),
    enabled           boolean      not null default true,
    origin            varchar(10)  not null default 'api',       -- api | file
    created_at        timestamptz  not null default now(),
    updated_at        timestamptz  not null default now(),
    -- Evaluation (not done yet; filled by a later release, so the table needs no reshaping then):
    state             text         not null default 'unknown',   -- unknown | kept | missed
    last_kept_at      timestamptz,            -- the last success that kept the promise
    next_deadline_at  timestamptz,            -- when it is next judged (persisted timer)
    check ((promise = 'freshness') = (every is not null)),
    check ((promise = 'deadline') = (cron is not null and time_zone is not null)),
    check ((promise = 'volume') = (fraction is not null and history is not null)),
    check (promise <> 'volume' or subject_kind = 'connection')
);
-- Events look expectations up by subject; timers claim the due ones.
create index expectation_subject on expectation (subject_kind, subject_id);
create index expectation_due on expectation (next_deadline_at) where enabled and next_deadline_at is not null;
