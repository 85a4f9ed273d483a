-- Who hears what, through which channel. Settings hold channel secrets (webhook URLs, routing keys,
-- SMTP passwords, signing secrets): the API masks them and nothing logs them.
create table subscription (
    id                  varchar(64)  primary key,
    name                varchar(200) not null unique,
    event_types         text         not null,   -- JSON array: exact types or prefixes ending in .*
    filters             text         not null,   -- JSON object: connections, transforms, reasons
    channel             varchar(20)  not null,   -- slack | teams | email | pagerduty | webhook
    settings            text         not null,   -- JSON object, per channel
    enabled             boolean      not null default true,
    notify_on_recovery  boolean      not null default true,
    disabled_reason     text,
    origin              varchar(10)  not null default 'api',  -- api | file
    created_at          timestamptz  not null default now(),
    updated_at          timestamptz  not null default now()
);

-- One message to one subscription. Stored before it is sent; the sender claims due rows with
-- "for update skip locked", so replicas never send the same row at the same time and a restart
-- resumes whatever is pending.
create table delivery (
    id                  varchar(64)  primary key,  -- derived from (subscription, event): webhook-id
    subscription_id     varchar(64)  not null references subscription (id) on delete cascade,
    event_id            varchar(200) not null,     -- ce_id of the first event it is about
    event_type          varchar(100) not null,
    subject             varchar(300) not null,     -- connection:<id> | transform:<name>
    kind                varchar(20)  not null,     -- alert | info | recovery | event | test
    status              varchar(20)  not null,     -- pending | delivered | failed
    events              text         not null,     -- JSON array of structured CloudEvents
    event_count         integer      not null default 1,
    attempts            integer      not null default 0,
    window_until        timestamptz,               -- grouping: later events fold in until then
    send_after          timestamptz  not null,     -- next attempt (or lease end while claimed)
    claimed_at          timestamptz,
    claim_token         varchar(64),               -- which sender holds the lease
    created_at          timestamptz  not null default now(),
    last_attempt_at     timestamptz,
    finished_at         timestamptz,
    last_status_code    integer,
    last_error          text,
    outcome_published   boolean      not null default false,
    unique (subscription_id, event_id)
);
create index delivery_due on delivery (send_after) where status = 'pending';
create index delivery_group on delivery (subscription_id, subject, kind) where status = 'pending';
create index delivery_unpublished on delivery (finished_at) where status <> 'pending' and not outcome_published;

-- Alertmanager-style memory per (subscription, subject): is it failing, what was last said, when.
create table subject_state (
    subscription_id     varchar(64)  not null references subscription (id) on delete cascade,
    subject             varchar(300) not null,
    failing             boolean      not null default false,
    fingerprint         text,
    last_notified_at    timestamptz,
    updated_at          timestamptz  not null default now(),
    primary key (subscription_id, subject)
);
