-- Sync requests received from tributary.sync.requests, stored before the record is acknowledged.
create table sync_request (
    request_id      varchar(64)  primary key,
    event_id        varchar(200) not null unique,
    connection_id   varchar(64)  not null,
    job_type        varchar(16)  not null,
    requested_at    timestamptz  not null,
    trigger_kind    varchar(16)  not null,
    trigger_id      varchar(200),
    trigger_detail  varchar(1000),
    correlation_id  varchar(200),
    status          varchar(16)  not null,
    received_at     timestamptz  not null
);

create index sync_request_pending on sync_request (connection_id) where status = 'pending';
