-- A claim on a run's upload (STREAMING or PULLING) has an owner and a lease (ADR 0013): the owner, an uploader
-- instance, renews lease_until while it works; a claim whose lease ran out (its owner died) is taken over at once by
-- the next ArtifactReady of the run, which aborts whatever multipart upload the dead owner left under the key.
-- Rows from before this migration have no owner and no lease: they count as expired.
alter table streamed_upload add column owner       text;
alter table streamed_upload add column lease_until timestamptz;

-- the abandoned-upload sweep asks "is this key under a live claim?"
create index streamed_upload_live_key on streamed_upload (artifact_key)
    where state in ('STREAMING', 'PULLING');
