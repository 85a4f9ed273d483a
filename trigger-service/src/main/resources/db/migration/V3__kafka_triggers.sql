-- Kafka triggers: records of other systems' topics that request syncs (definitions as JSON documents).
create table kafka_trigger (
    id          varchar(100) primary key,
    body        jsonb        not null,
    created_at  timestamptz  not null default now(),
    updated_at  timestamptz  not null default now()
);

-- The minimum interval per (trigger, connection), shared by every instance and kept across restarts:
-- the last request's time, and the first record held back since then (pending_detail: topic/partition/
-- offset). A pending row whose interval has passed yields one trailing request (Kafka trigger sweep).
create table kafka_trigger_throttle (
    trigger_id       varchar(100) not null,
    connection_id    varchar(64)  not null,
    last_request_at  timestamptz  not null,
    interval_ms      bigint       not null,
    pending_detail   varchar(400),
    primary key (trigger_id, connection_id)
);

create index kafka_trigger_throttle_pending on kafka_trigger_throttle (last_request_at)
    where pending_detail is not null;
