package io.backbus.uploader.web;

import io.backbus.crypto.UrlSigner;
import io.backbus.repository.ObjectStoreException;
import io.backbus.uploader.domain.RestoreArtifact;
import io.backbus.uploader.domain.RestoreDownloads;
import io.backbus.web.ProblemResponses;
import io.backbus.web.SignedUrlGate;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves checked restore artifacts, decrypted on the fly, to whoever holds the restore's signed, unexpired URL: bad
 * or missing signature or expired 403, unknown restore (or object gone) 404, all as problem+json. The body is
 * streamed S3 → decrypt → response with a 64 KiB buffer on the request thread (no async timeout can cut a
 * download of hours short), never held in memory nor written to disk. If decryption fails mid-body the connection is
 * cut, so the agent sees fewer bytes than Content-Length instead of a completed download.
 */
@RestController
class RestoreArtifactController {

    private static final Logger log = LoggerFactory.getLogger(RestoreArtifactController.class);
    private static final int BUFFER = 64 * 1024;

    private final SignedUrlGate gate;
    private final RestoreDownloads downloads;

    RestoreArtifactController(UrlSigner signer, RestoreDownloads downloads) {
        this.gate = new SignedUrlGate(signer, "restore artifact");
        this.downloads = downloads;
    }

    @GetMapping("/restore-artifacts/{restoreId}")
    ResponseEntity<?> download(@PathVariable String restoreId, @RequestParam(required = false) String expires,
            @RequestParam(required = false) String sig, HttpServletRequest request, HttpServletResponse response)
            throws IOException {
        gate.admit(restoreId, expires, sig);
        Optional<RestoreArtifact> found = parse(restoreId).flatMap(downloads::find);
        if (found.isEmpty()) {
            return ProblemResponses.ofParameter(HttpStatus.NOT_FOUND, "restoreId",
                    "no restore artifact for restore " + restoreId);
        }
        RestoreArtifact artifact = found.get();
        if ("HEAD".equals(request.getMethod())) {
            return ResponseEntity.ok().contentType(MediaType.APPLICATION_OCTET_STREAM)
                    .contentLength(artifact.sizeBytes()).header("X-Checksum-SHA256", artifact.sha256()).build();
        }
        Optional<RestoreDownloads.Download> opened;
        try {
            opened = downloads.open(artifact);
        } catch (ObjectStoreException e) {
            log.error("Restore {}: cannot serve backup {}: {}", restoreId, artifact.backupId(), e.getMessage());
            return ProblemResponses.ofParameter(HttpStatus.BAD_GATEWAY, "restoreId",
                    "the object store failed: " + e.getMessage());
        }
        if (opened.isEmpty()) {
            log.error("Restore {}: backup {} is no longer in the bucket ({})", restoreId, artifact.backupId(),
                    artifact.objectKey());
            return ProblemResponses.ofParameter(HttpStatus.NOT_FOUND, "restoreId",
                    "the backup of restore " + restoreId + " is no longer in the bucket");
        }
        response.setStatus(HttpStatus.OK.value());
        response.setContentType(MediaType.APPLICATION_OCTET_STREAM_VALUE);
        response.setContentLengthLong(artifact.sizeBytes());
        response.setHeader("X-Checksum-SHA256", artifact.sha256());
        stream(opened.get(), response.getOutputStream());
        return null; // the response is written
    }

    private static void stream(RestoreDownloads.Download download, OutputStream out) {
        RestoreArtifact artifact = download.artifact();
        long started = System.nanoTime();
        long sent = 0;
        byte[] buffer = new byte[BUFFER];
        try (download) {
            while (true) {
                int n;
                try {
                    n = download.plaintext().read(buffer);
                } catch (IOException e) {
                    throw abort(download, sent, download.explain(e));
                }
                if (n < 0) {
                    break;
                }
                if (sent + n > artifact.sizeBytes()) {
                    throw abort(download, sent, "the object holds more than the " + artifact.sizeBytes()
                            + " bytes checked");
                }
                try {
                    out.write(buffer, 0, n);
                } catch (IOException e) {
                    download.abort();
                    log.warn("Restore {}: the client went away after {} of {} bytes", artifact.restoreId(), sent,
                            artifact.sizeBytes());
                    return;
                }
                sent += n;
            }
            if (sent != artifact.sizeBytes()) {
                throw abort(download, sent, "the object holds fewer than the " + artifact.sizeBytes()
                        + " bytes checked");
            }
            out.flush();
            log.info("Restore {}: served backup {} ({} bytes) in {} ms", artifact.restoreId(), artifact.backupId(),
                    sent, (System.nanoTime() - started) / 1_000_000);
        } catch (IOException e) {
            log.warn("Restore {}: the client went away at the end: {}", artifact.restoreId(), e.getMessage());
        }
    }

    /** Logs why and returns the exception that makes the server cut the connection of the committed response. */
    private static DownloadAbortedException abort(RestoreDownloads.Download download, long sent, String why) {
        download.abort();
        RestoreArtifact artifact = download.artifact();
        String message = "restore " + artifact.restoreId() + ": serving backup " + artifact.backupId()
                + " aborted after " + sent + " of " + artifact.sizeBytes() + " bytes: " + why;
        log.error("{}", message);
        return new DownloadAbortedException(message);
    }

    private static Optional<UUID> parse(String restoreId) {
        try {
            return Optional.of(UUID.fromString(restoreId));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** A download cut off mid-body; thrown out of the handler so the server closes the connection. */
    static final class DownloadAbortedException extends RuntimeException {
        DownloadAbortedException(String message) {
            super(message, null, false, false);
        }
    }
}
