-- Backup plans: what to back up (an announced agent's target), when (cron in the plan's time zone), and the next
-- slot due. next_fire_at is what replicas compete for with FOR UPDATE SKIP LOCKED.
create table plan (
    id           uuid        primary key,
    name         text        not null unique,
    target       text        not null,
    agent_id     text        not null,
    cron         text        not null,
    time_zone    text        not null,
    enabled      boolean     not null default true,
    next_fire_at timestamptz,
    created_at   timestamptz not null default now()
);

create index plan_due on plan (next_fire_at) where enabled;

-- One row per attempt at backing up a plan's slot; the state machine REQUESTED -> DUMPED -> STORED, or FAILED.
create table run (
    id             uuid        primary key,
    plan_id        uuid        not null references plan (id),
    target         text        not null,
    agent_id       text        not null,
    scheduled_for  timestamptz not null,
    trigger        text        not null check (trigger in ('schedule', 'manual', 'retry')),
    attempt        integer     not null check (attempt >= 1),
    state          text        not null check (state in ('REQUESTED', 'DUMPED', 'STORED', 'FAILED')),
    failure_stage  text,
    failure_reason text,
    object_key     text,
    backup_id      uuid,
    size_bytes     bigint,
    requested_at   timestamptz not null,
    dumped_at      timestamptz,
    stored_at      timestamptz,
    failed_at      timestamptz,
    updated_at     timestamptz not null,
    -- a slot fires once, whatever the number of scheduler replicas
    constraint run_slot_fires_once unique (plan_id, scheduled_for, attempt)
);

create index run_by_plan on run (plan_id, requested_at desc);
create index run_in_flight on run (updated_at) where state in ('REQUESTED', 'DUMPED');

-- The targets each agent last announced; a plan may only name an announced (agent, target) pair.
create table agent_target (
    agent_id     text        not null,
    target       text        not null,
    last_seen_at timestamptz not null,
    primary key (agent_id, target)
);
