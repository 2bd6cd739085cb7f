-- The catalog of stored backups: one row per stored run, written from the uploader's Stored event. Everything
-- here can be rebuilt from the manifests beside the artifacts in the bucket.
create table backup (
    backup_id         uuid        primary key,
    run_id            uuid        not null unique,
    target            text        not null,
    agent_id          text        not null,
    bucket            text        not null,
    object_key        text        not null,
    manifest_key      text        not null,
    plaintext_size    bigint      not null check (plaintext_size >= 0),
    plaintext_sha256  text        not null,
    ciphertext_size   bigint      not null check (ciphertext_size >= 0),
    ciphertext_sha256 text        not null,
    encryption        text        not null,
    key_id            text        not null,
    -- tiering (STANDARD -> STANDARD_IA -> GLACIER) will update this
    storage_class     text        not null default 'STANDARD',
    format            text        not null,
    compression       text        not null,
    database_name     text        not null,
    server_version    text        not null,
    dump_started_at   timestamptz not null,
    dump_finished_at  timestamptz not null,
    stored_at         timestamptz not null,
    -- GFS expiry will add the states of a backup on its way out
    status            text        not null default 'AVAILABLE',
    cataloged_at      timestamptz not null default now()
);

-- listings per target, newest first; GFS runs per target over the same order
create index backup_target_stored_at on backup (target, stored_at desc);
create index backup_stored_at on backup (stored_at desc);
