-- Runs the scheduler requested (from BackupRequested): an ArtifactReady or ArtifactStreaming is acted on only for a
-- run listed here with the same agent and target, so a forged event for a run nobody requested stores nothing.
create table requested_run (
    run_id       uuid        primary key,
    agent_id     text        not null,
    target       text        not null,
    requested_at timestamptz not null
);
