-- The outbox and inbox tables, as every service that uses them creates them (see README.md).
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

create table processed_event (
    event_id     varchar(200) primary key,
    event_type   varchar(100) not null,
    subject      varchar(200),
    received_at  timestamptz  not null default now()
);
