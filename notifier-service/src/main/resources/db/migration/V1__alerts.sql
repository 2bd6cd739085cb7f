-- Alerts and the state of their delivery. A PENDING alert is due at next_attempt_at; dispatchers of several
-- replicas claim due rows with FOR UPDATE SKIP LOCKED.
create table alert (
    id              uuid        primary key,
    -- <kind>:<target>; deduplication and throttling per (target, kind) will key on it
    dedup_key       text        not null,
    kind            text        not null,
    severity        text        not null check (severity in ('critical', 'high', 'medium', 'low')),
    target          text        not null,
    -- absent for alerts that are not about one run (e.g. storage quota)
    run_id          uuid,
    stage           text,
    reason          text        not null,
    agent_id        text,
    occurred_at     timestamptz not null,
    created_at      timestamptz not null default now(),
    status          text        not null default 'PENDING' check (status in ('PENDING', 'DELIVERED', 'GAVE_UP')),
    attempts        integer     not null default 0,
    next_attempt_at timestamptz,
    last_error      text,
    delivered_at    timestamptz
);

create index alert_due on alert (next_attempt_at) where status = 'PENDING';
create index alert_created_at on alert (created_at desc);
create index alert_dedup_key on alert (dedup_key, created_at desc);
