-- Runs the scheduler requested (from BackupRequested): a Stored is cataloged only for a run listed here with the same
-- agent and target, so a Stored for a run nobody requested never becomes a target's newest backup.
create table requested_run (
    run_id       uuid        primary key,
    agent_id     text        not null,
    target       text        not null,
    requested_at timestamptz not null
);
