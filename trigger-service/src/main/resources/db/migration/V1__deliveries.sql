-- Webhook deliveries already turned into sync requests: a repeated delivery id answers with the
-- original request ids and emits nothing.
create table received_delivery (
    hook_id      varchar(100) not null,
    delivery_id  varchar(200) not null,
    request_ids  text         not null,
    received_at  timestamptz  not null default now(),
    primary key (hook_id, delivery_id)
);

create index received_delivery_received_at on received_delivery (received_at);
