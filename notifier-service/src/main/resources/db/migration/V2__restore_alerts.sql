-- Alerts about restores (kinds restore.test-failed and restore.failed). They are about a restore, not a backup
-- run: run_id stays null and restore_id says which restore. All columns are null for backup alerts.
alter table alert
    add column restore_id           uuid,
    -- the backup restored, if one was chosen
    add column backup_id            uuid,
    -- the plan of a restore test
    add column plan_id              uuid,
    add column rto_millis           bigint check (rto_millis >= 0),
    add column rto_target_millis    bigint check (rto_target_millis >= 1),
    -- whether a failed restore wrote to its destination (a partial restore may be left there)
    add column destination_touched  boolean,
    -- where it was restored to: names only, the agent resolves credentials
    add column destination_agent_id text,
    add column destination_target   text,
    add column destination_database text;
