-- Progress telemetry of a running backup (BackupProgress): bytes written by the dump, bytes of the artifact the
-- uploader has read, and the artifact size it works towards. Kept as maxima, so reordered or duplicated events
-- never make a run go backwards.
alter table run add column bytes_dumped bigint;
alter table run add column bytes_uploaded bigint;
alter table run add column upload_total_bytes bigint;
alter table run add column progress_at timestamptz;
