-- Transactional outbox: rows are written in the same transaction as the state change that causes them and
-- relayed to Kafka afterwards, in seq order.
create table outbox_event (
    seq          bigserial primary key,
    id           uuid        not null unique,
    topic        text        not null,
    record_key   text        not null,
    ce_type      text        not null,
    ce_subject   text        not null,
    ce_time      timestamptz not null,
    payload      bytea       not null,
    created_at   timestamptz not null default now()
);

-- Idempotent inbox: one row per consumed event id, written in the same transaction as the state change.
create table processed_event (
    consumer_group text        not null,
    event_id       uuid        not null,
    event_type     text        not null,
    processed_at   timestamptz not null default now(),
    primary key (consumer_group, event_id)
);
