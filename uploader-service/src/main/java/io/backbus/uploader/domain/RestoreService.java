package io.backbus.uploader.domain;

import io.backbus.contracts.ArtifactManifest;
import io.backbus.contracts.RestoreArtifactReady;
import io.backbus.contracts.RestoreFailed;
import io.backbus.contracts.RestoreRequested;
import io.backbus.contracts.RestoreStage;
import io.backbus.repository.ObjectStoreException;
import io.backbus.uploader.config.RestoreProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import software.amazon.awssdk.services.s3.model.Tier;

/**
 * The uploader's half of a restore (ADR 0006): HeadObject → thaw a cold-tier object first → the manifest must
 * agree with the catalog → the check pass → serve the plaintext at a signed URL. Every request ends in
 * RestoreArtifactReady or RestoreFailed (FETCH, INTEGRITY), never touching the destination. The S3 work runs
 * outside any transaction ({@link #start}, {@link #continueThaw}); {@link #record} writes the outcome and its
 * event in the caller's transaction.
 */
@Service
public class RestoreService {

    private static final Logger log = LoggerFactory.getLogger(RestoreService.class);
    private static final int MAX_REASON = 4000;

    /**
     * Thawing settings.
     *
     * @param days         days the thawed copy stays readable
     * @param tier         retrieval tier
     * @param pollInterval pause between checks of a pending thaw
     * @param timeout      how long a thaw may take
     */
    record ThawSettings(int days, Tier tier, Duration pollInterval, Duration timeout) {
    }

    private final BackupObjects objects;
    private final ManifestCheck manifests;
    private final IntegrityCheck integrity;
    private final RestoreLocations locations;
    private final RestoreArtifactStore artifacts;
    private final RestoreThawStore thaws;
    private final RestoreEvents events;
    private final Clock clock;
    private final Duration urlTtl;
    private final ThawSettings thaw;

    public RestoreService(BackupObjects objects, ManifestCheck manifests, IntegrityCheck integrity,
            RestoreLocations locations, RestoreArtifactStore artifacts, RestoreThawStore thaws, RestoreEvents events,
            Clock clock, RestoreProperties properties) {
        this.objects = objects;
        this.manifests = manifests;
        this.integrity = integrity;
        this.locations = locations;
        this.artifacts = artifacts;
        this.thaws = thaws;
        this.events = events;
        this.clock = clock;
        this.urlTtl = properties.urlTtl();
        this.thaw = new ThawSettings(properties.thawDays(), properties.tier(), properties.thawPollInterval(),
                properties.thawTimeout());
    }

    /** Handles a new request: ready, failed, or (cold tier) thawing with RestoreObject issued. */
    public RestoreOutcome start(RestoreRequested r) {
        log.info("Restore {} of backup {} ({}): checking s3://{}/{}", r.restoreId(), r.backupId(), r.target(),
                r.bucket(), r.objectKey());
        try {
            ObjectHead head = head(r);
            if (head.coldTier() && head.thawState() != ObjectHead.ThawState.DONE) {
                Instant now = clock.instant();
                requestThaw(r, head);
                return new RestoreOutcome.Thawing(r, now.plus(thaw.pollInterval()), now.plus(thaw.timeout()));
            }
            return check(r, head);
        } catch (RestoreFailure f) {
            return failed(r, f);
        }
    }

    /**
     * One check of a pending thaw: still thawing (check again later), or thawed and checked, or failed — by the
     * deadline, or because the object went away.
     */
    public RestoreOutcome continueThaw(RestoreRequested r, Instant deadline) {
        Instant now = clock.instant();
        try {
            ObjectHead head = head(r);
            if (head.coldTier() && head.thawState() != ObjectHead.ThawState.DONE) {
                if (!now.isBefore(deadline)) {
                    throw new RestoreFailure(RestoreStage.FETCH, "backup " + r.backupId() + ": cold-tier thaw of "
                            + r.objectKey() + " did not finish within " + human(thaw.timeout())
                            + " (backbus.uploader.restore.thaw-timeout)");
                }
                if (head.thawState() == ObjectHead.ThawState.NONE) {
                    // the thaw we asked for is gone (or its copy expired already): ask again
                    log.warn("Restore {}: {} shows no thaw under way; issuing RestoreObject again", r.restoreId(),
                            r.objectKey());
                    requestThaw(r, head);
                }
                return new RestoreOutcome.Thawing(r, now.plus(thaw.pollInterval()), deadline);
            }
            log.info("Restore {}: {} is thawed; checking it", r.restoreId(), r.objectKey());
            return check(r, head);
        } catch (RestoreFailure f) {
            if (f.transientFailure() && now.isBefore(deadline)) {
                log.warn("Restore {}: checking the thaw of {} failed, trying again at the next check: {}",
                        r.restoreId(), r.objectKey(), f.reason());
                return new RestoreOutcome.Thawing(r, now.plus(thaw.pollInterval()), deadline);
            }
            return failed(r, f);
        }
    }

    /** Records the outcome and its event; must run in a transaction (the consumer's, or the thaw poller's). */
    public void record(RestoreOutcome outcome) {
        if (outcome instanceof RestoreOutcome.Ready ready) {
            artifacts.save(ready.artifact(), clock.instant());
            RestoreArtifactReady e = ready.event();
            thaws.delete(e.restoreId()); // a thaw still pending for this restore must not answer it again
            events.artifactReady(e);
        } else if (outcome instanceof RestoreOutcome.Failed failed) {
            RestoreFailed e = failed.event();
            thaws.delete(e.restoreId());
            events.failed(e);
        } else if (outcome instanceof RestoreOutcome.Thawing thawing) {
            RestoreRequested r = thawing.request();
            if (!thaws.insertIfAbsent(r, clock.instant(), thawing.nextCheckAt(), thawing.deadline())) {
                log.info("Restore {} is already waiting for its thaw; that one carries on", r.restoreId());
            }
        }
    }

    private ObjectHead head(RestoreRequested r) throws RestoreFailure {
        Optional<ObjectHead> head;
        try {
            head = objects.head(r.bucket(), r.objectKey());
        } catch (ObjectStoreException e) {
            throw new RestoreFailure(RestoreStage.FETCH, "backup " + r.backupId() + ": " + e.getMessage(),
                    e.retryable());
        }
        return head.orElseThrow(() -> new RestoreFailure(RestoreStage.FETCH, IntegrityCheck.missing(r)));
    }

    private void requestThaw(RestoreRequested r, ObjectHead head) throws RestoreFailure {
        if (head.thawState() == ObjectHead.ThawState.ONGOING) {
            log.info("Restore {}: {} ({}) is being thawed already; waiting for it", r.restoreId(), r.objectKey(),
                    head.storageClass());
            return;
        }
        try {
            boolean issued = objects.requestThaw(r.bucket(), r.objectKey(), thaw.days(), thaw.tier());
            log.info("Restore {}: {} is in {}; {} (tier {}, {} day(s)); checking every {} for up to {}",
                    r.restoreId(), r.objectKey(), head.storageClass(),
                    issued ? "RestoreObject issued" : "a thaw was under way already", thaw.tier(), thaw.days(),
                    human(thaw.pollInterval()), human(thaw.timeout()));
        } catch (ObjectStoreException e) {
            throw new RestoreFailure(RestoreStage.FETCH, "backup " + r.backupId() + ": " + head.storageClass()
                    + " object cannot be thawed: " + e.getMessage(), e.retryable());
        }
    }

    private RestoreOutcome check(RestoreRequested r, ObjectHead head) throws RestoreFailure {
        long started = System.nanoTime();
        ArtifactManifest manifest = manifests.verify(r);
        if (head.size() != r.ciphertextSize()) {
            throw new RestoreFailure(RestoreStage.INTEGRITY, "object " + r.objectKey()
                    + " disagrees with the catalog: ciphertextSize is " + head.size() + ", catalog says "
                    + r.ciphertextSize());
        }
        IntegrityCheck.Result result = integrity.check(r);
        long expires = clock.instant().plus(urlTtl).getEpochSecond();
        Instant expiresAt = Instant.ofEpochSecond(expires);
        RestoreArtifactReady ready = new RestoreArtifactReady(r.restoreId(), r.backupId(), r.runId(), r.planId(),
                r.purpose(), r.target(), r.destination(), r.options(), r.smokeQueries(),
                locations.location(r.restoreId(), expires), result.plaintextSha256(), result.plaintextSize(),
                expiresAt, manifest);
        log.info("Restore {} of backup {}: {} ciphertext bytes authenticated, {} plaintext bytes match the catalog, "
                + "in {} ms; serving them at {} until {}", r.restoreId(), r.backupId(), result.ciphertextSize(),
                result.plaintextSize(), (System.nanoTime() - started) / 1_000_000,
                locations.shown(r.restoreId()), expiresAt);
        return new RestoreOutcome.Ready(ready, new RestoreArtifact(r.restoreId(), r.backupId(), r.bucket(),
                r.objectKey(), result.plaintextSha256(), result.plaintextSize(), expiresAt));
    }

    private RestoreOutcome failed(RestoreRequested r, RestoreFailure f) {
        log.warn("Restore {} of backup {} ({}) failed at {}: {}", r.restoreId(), r.backupId(), r.target(), f.stage(),
                f.reason());
        String reason = f.reason().length() > MAX_REASON ? f.reason().substring(0, MAX_REASON - 3) + "..."
                : f.reason();
        return new RestoreOutcome.Failed(new RestoreFailed(r.restoreId(), r.backupId(), r.planId(), r.purpose(),
                r.target(), r.destination(), f.stage(), reason, false, clock.instant()));
    }

    /** {@code 48h}, {@code 90m}, {@code 15s}: as the setting would be written. */
    static String human(Duration d) {
        if (d.toMillis() % 3_600_000 == 0) {
            return d.toHours() + "h";
        }
        if (d.toMillis() % 60_000 == 0) {
            return d.toMinutes() + "m";
        }
        if (d.toMillis() % 1000 == 0) {
            return d.toSeconds() + "s";
        }
        return d.toMillis() + "ms";
    }
}
