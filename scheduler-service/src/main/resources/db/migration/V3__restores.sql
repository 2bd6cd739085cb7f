-- A run whose backup passed a restore test is VERIFIED.
alter table run drop constraint run_state_check;
alter table run add constraint run_state_check
    check (state in ('REQUESTED', 'DUMPED', 'STORED', 'VERIFIED', 'FAILED'));
alter table run add column verified_at timestamptz;

-- Restore tests of a plan: the policy (cron and/or after every N backups, destination, RTO target, jobs) as JSON,
-- the smoke queries a test runs, the next cron slot (what replicas compete for with FOR UPDATE SKIP LOCKED) and
-- the backups counted towards the next "after every N backups" test.
alter table plan add column restore_test jsonb;
alter table plan add column smoke_queries jsonb not null default '[]';
alter table plan add column next_restore_test_at timestamptz;
alter table plan add column backups_since_restore_test integer not null default 0;

create index plan_restore_test_due on plan (next_restore_test_at) where enabled and next_restore_test_at is not null;

-- Restores, manual (POST /restores) and restore tests of plans. PENDING: a cron restore test whose backup is still
-- to be resolved from the catalog; REQUESTED -> READY (RestoreArtifactReady) -> VERIFIED, or FAILED with stage and
-- reason. The backup's identity and checksums are the catalog's (or the Stored event's) at request time.
create table restores (
    id                   uuid        primary key,
    backup_id            uuid,
    run_id               uuid,
    plan_id              uuid        references plan (id),
    purpose              text        not null check (purpose in ('MANUAL', 'TEST')),
    trigger              text        not null check (trigger in ('manual', 'cron', 'after-backups')),
    target               text        not null,
    bucket               text,
    object_key           text,
    manifest_key         text,
    plaintext_size       bigint,
    plaintext_sha256     text,
    ciphertext_size      bigint,
    destination_agent_id text        not null,
    destination_target   text        not null,
    destination_database text        not null,
    options              jsonb       not null,
    smoke_queries        jsonb       not null default '[]',
    state                text        not null check (state in ('PENDING', 'REQUESTED', 'READY', 'VERIFIED', 'FAILED')),
    stage                text,
    reason               text,
    scheduled_for        timestamptz,
    rto_target_millis    bigint,
    requested_at         timestamptz not null,
    updated_at           timestamptz not null,
    finished_at          timestamptz,
    rto_millis           bigint,
    duration_millis      bigint,
    verification         jsonb,
    destination_touched  boolean     not null default false,
    destination_dropped  boolean,
    progress_stage       text,
    progress_bytes       bigint,
    progress_total       bigint,
    progress_at          timestamptz,
    -- a cron slot of a plan's restore tests fires once, whatever the number of scheduler replicas
    constraint restore_test_slot_fires_once unique (plan_id, scheduled_for)
);

create index restores_by_plan on restores (plan_id, requested_at desc) where plan_id is not null;
create index restores_in_flight on restores (updated_at) where state in ('PENDING', 'REQUESTED', 'READY');
