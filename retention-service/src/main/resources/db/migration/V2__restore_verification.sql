-- When a backup was last proven restorable: written from the scheduler's RestoreVerified event (a restore test
-- that restored it into a scratch database, verified it and met the plan's RTO target). Null until a test passes.
-- Not in the manifests: a catalog rebuilt from the bucket has no verification info until the next passing test.
alter table backup
    add column last_verified_at         timestamptz,
    add column last_verified_rto_millis bigint check (last_verified_rto_millis >= 0),
    add column last_verified_restore_id uuid,
    add constraint backup_verification_complete check (
        (last_verified_at is null) = (last_verified_rto_millis is null)
        and (last_verified_at is null) = (last_verified_restore_id is null));
