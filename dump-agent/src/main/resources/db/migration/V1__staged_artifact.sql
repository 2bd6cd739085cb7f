-- Artifacts staged on this host, served at signed URLs until they are stored (deleted_at set) or expire.
create table staged_artifact (
    run_id      uuid        primary key,
    target      text        not null,
    path        text        not null,
    sha256      char(64)    not null,
    size_bytes  bigint      not null,
    expires_at  timestamptz not null,
    created_at  timestamptz not null,
    deleted_at  timestamptz
);

create index staged_artifact_live_by_expiry on staged_artifact (expires_at) where deleted_at is null;
