-- A delivery is claimed ('pending') before its requests are published and marked 'done' once Kafka
-- acknowledged them; a failed publish deletes the claim so that the sender's retry can take it.
alter table received_delivery add column status varchar(16) not null default 'done';
alter table received_delivery add column claimed_at timestamptz not null default now();

-- Definitions are JSON documents (the API's shape, secrets included): validated by the service.
create table hook (
    id          varchar(100) primary key,
    body        jsonb        not null,
    created_at  timestamptz  not null default now(),
    updated_at  timestamptz  not null default now()
);

create table schedule (
    id            varchar(100) primary key,
    body          jsonb        not null,
    enabled       boolean      not null,
    next_fire_at  timestamptz,
    last_fire_at  timestamptz,
    created_at    timestamptz  not null default now(),
    updated_at    timestamptz  not null default now()
);

create index schedule_due on schedule (next_fire_at) where enabled;

-- One row per fire of a schedule: the primary key lets exactly one instance win each fire.
create table schedule_fire (
    schedule_id  varchar(100) not null,
    fire_time    timestamptz  not null,
    misfire      boolean      not null,
    request_ids  text         not null,
    fired_at     timestamptz  not null default now(),
    primary key (schedule_id, fire_time)
);

create table rule (
    id          varchar(100) primary key,
    body        jsonb        not null,
    created_at  timestamptz  not null default now(),
    updated_at  timestamptz  not null default now()
);

-- Upstream events already handled by the event rules (consumer idempotency by ce_id).
create table processed_event (
    event_id      varchar(200) primary key,
    processed_at  timestamptz  not null default now()
);

-- Requests decided inside a database transaction (schedule fires, rule matches) wait here until
-- Kafka acknowledged them: a decision is never lost, and a re-publish keeps its ce_id.
create table outbox (
    seq            bigserial    primary key,
    request_id     varchar(64)  not null unique,
    connection_id  varchar(64)  not null,
    payload        text         not null,
    created_at     timestamptz  not null default now(),
    published_at   timestamptz
);

create index outbox_unpublished on outbox (seq) where published_at is null;
