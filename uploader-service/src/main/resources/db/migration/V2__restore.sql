-- Restores waiting for a cold-tier (GLACIER, DEEP_ARCHIVE) object to be thawed by RestoreObject. The thaw poller
-- checks each with HeadObject when next_check_at is due; a replica claims a row (claim, next_check_at moved ahead
-- by a lease) before checking it, so one restore is finished by one replica even with several running.
create table restore_thaw (
    restore_id    uuid        primary key,
    backup_id     uuid        not null,
    bucket        text        not null,
    object_key    text        not null,
    request       jsonb       not null,   -- the RestoreRequested, to carry on with once thawed
    created_at    timestamptz not null,
    deadline      timestamptz not null,   -- the restore fails at FETCH if the object is not thawed by then
    next_check_at timestamptz not null,
    checks        integer     not null default 0,
    claim         uuid
);

create index restore_thaw_due on restore_thaw (next_check_at);

-- Checked backups served decrypted at GET /restore-artifacts/{restore_id} until expires_at. Only where the
-- ciphertext is and what its plaintext must be: nothing decrypted is ever stored.
create table restore_artifact (
    restore_id  uuid        primary key,
    backup_id   uuid        not null,
    bucket      text        not null,
    object_key  text        not null,
    sha256      char(64)    not null,
    size_bytes  bigint      not null check (size_bytes >= 0),
    expires_at  timestamptz not null,
    created_at  timestamptz not null
);

create index restore_artifact_expires_at on restore_artifact (expires_at);
