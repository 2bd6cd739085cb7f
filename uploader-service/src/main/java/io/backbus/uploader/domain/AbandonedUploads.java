package io.backbus.uploader.domain;

import io.backbus.repository.ObjectStoreException;
import io.backbus.repository.layout.RepositoryLayout;
import io.backbus.uploader.config.ClaimProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.stereotype.Service;

/**
 * Aborts multipart uploads nobody will complete (ADR 0013): an uploader killed mid-upload leaves one open, invisible
 * and billed, and a takeover of its run aborts it only if the run's ArtifactReady comes again. Every
 * {@code sweep-interval} the in-progress uploads under {@code targets/} older than {@code abandonedAfter} whose key
 * no live claim covers are aborted.
 */
@Service
public class AbandonedUploads {

    private static final Logger log = LoggerFactory.getLogger(AbandonedUploads.class);

    private final ArtifactStore store;
    private final StreamedUploadStore claims;
    private final Duration abandonedAfter;
    private final Clock clock;

    @Autowired
    public AbandonedUploads(ArtifactStore store, StreamedUploadStore claims, ClaimProperties properties, Clock clock) {
        this(store, claims, properties.abandonedAfter(), clock);
    }

    AbandonedUploads(ArtifactStore store, StreamedUploadStore claims, Duration abandonedAfter, Clock clock) {
        this.store = store;
        this.claims = claims;
        this.abandonedAfter = abandonedAfter;
        this.clock = clock;
    }

    /** One sweep; how many uploads it aborted. */
    public int sweep() throws ObjectStoreException {
        Instant now = clock.instant();
        Instant before = now.minus(abandonedAfter);
        int aborted = 0;
        for (OpenUpload upload : store.openUploads(RepositoryLayout.TARGETS)) {
            if (upload.initiated() == null || !upload.initiated().isBefore(before)) {
                continue; // young: its claim may be just being written, or it is one being started right now
            }
            if (claims.liveClaimOn(upload.key(), now)) {
                continue; // a live uploader holds the run: its upload (or the dead owner's, which it aborts itself)
            }
            // S3Mock deletes the complete object of a key when an upload of that key is aborted (S3 does not): a
            // key that holds an object, i.e. a stored backup, is left alone. Its leftover upload stays open
            // there; on S3 an AbortIncompleteMultipartUpload lifecycle rule is the backstop for such a case.
            if (store.sizeOf(upload.key()).isPresent()) {
                log.debug("Not aborting multipart upload {} of s3://{}/{}: the key holds an object",
                        upload.uploadId(), store.bucket(), upload.key());
                continue;
            }
            if (store.abortQuietly(upload)) {
                aborted++;
                log.warn("Aborted abandoned multipart upload {} of s3://{}/{} (started {}, no live claim)",
                        upload.uploadId(), store.bucket(), upload.key(), upload.initiated());
            }
        }
        return aborted;
    }
}
