-- One row per run whose encrypted artifact is stored and verified in the bucket. The bucket's manifests hold the
-- same facts, so this table can be rebuilt from them.
create table upload (
    run_id            uuid        primary key,
    backup_id         uuid        not null unique,
    agent_id          text,
    target            text        not null,
    bucket            text        not null,
    object_key        text        not null,
    manifest_key      text        not null,
    plaintext_size    bigint      not null check (plaintext_size >= 0),
    plaintext_sha256  char(64)    not null,
    ciphertext_size   bigint      not null check (ciphertext_size >= 0),
    ciphertext_sha256 char(64)    not null,
    encryption        text        not null,
    key_id            text        not null,
    stored_at         timestamptz not null,
    unique (bucket, object_key)
);

create index upload_target_stored_at on upload (target, stored_at desc);
