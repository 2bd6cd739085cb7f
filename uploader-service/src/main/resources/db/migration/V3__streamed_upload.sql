-- Who uploads a run's artifact: the streamed upload, started by ArtifactStreaming while the agent still dumps, or
-- the normal pull, started by ArtifactReady. A run has at most one row; the first to insert it owns the object key
-- (the other never writes to it), so two multipart uploads of one run never race.
--   STREAMING  the streamed upload runs; updated_at is touched as a heartbeat while it does
--   UPLOADED   the streamed object is complete: its plaintext size and SHA-256 await ArtifactReady's check
--   FAILED     the streamed upload failed, was taken over, or its object was discarded: ArtifactReady pulls
--   PULLING    ArtifactReady came first and pulls the normal way: a later hint is ignored
create table streamed_upload (
    run_id            uuid        primary key,
    state             text        not null check (state in ('STREAMING', 'UPLOADED', 'FAILED', 'PULLING')),
    artifact_key      text,
    plaintext_size    bigint      check (plaintext_size >= 0),
    plaintext_sha256  char(64),
    ciphertext_size   bigint      check (ciphertext_size >= 0),
    ciphertext_sha256 char(64),
    key_id            text,
    updated_at        timestamptz not null,
    check (state <> 'UPLOADED' or (artifact_key is not null and plaintext_size is not null
           and plaintext_sha256 is not null and ciphertext_size is not null and ciphertext_sha256 is not null
           and key_id is not null))
);
