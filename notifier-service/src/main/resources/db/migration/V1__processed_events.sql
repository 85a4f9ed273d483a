-- Events this service has processed, by ce_id: a re-delivered record changes nothing.
create table processed_event (
    event_id     varchar(200) primary key,
    event_type   varchar(100) not null,
    subject      varchar(200),
    received_at  timestamptz  not null default now()
);
