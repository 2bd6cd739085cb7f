package io.backbus.agent.web;

import io.backbus.agent.domain.ArtifactLocations;
import io.backbus.agent.domain.LiveDumps;
import io.backbus.agent.domain.LiveTail;
import io.backbus.agent.domain.StagedArtifact;
import io.backbus.agent.storage.StagedArtifactRepository;
import io.backbus.agent.storage.StagingArea;
import io.backbus.crypto.UrlSigner;
import io.backbus.web.ProblemResponses;
import io.backbus.web.SignedUrlGate;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves an artifact while its dump still writes it: {@code GET /artifacts/{runId}/live?expires=&sig=}, signed over
 * {@code <runId>/live} ({@link ArtifactLocations#liveResource}). Same rules as the staged artifact's URL: bad or
 * missing signature or expired 403, unknown run 404 (also a run whose dump failed). Otherwise 200 with a chunked
 * body (no {@code Content-Length}) that grows with the dump and ends normally once the dump is staged; if the dump
 * fails (or the agent stops) the connection is closed without the terminating chunk, so the client sees a broken
 * body, never a clean end. A run that was already staged is served from its staged file the same way.
 *
 * <p>The file is opened once at the start, so the rename of the partial file to its final name changes nothing.
 * The copy runs on the request's thread and only reads the file: a slow or vanished client never holds up the
 * dump. URLs are never logged with their query (the signature).
 */
@RestController
class LiveArtifactController {

    private static final Logger log = LoggerFactory.getLogger(LiveArtifactController.class);
    /** The longest a reader at the end of the file waits before looking again (woken early when the dump ends). */
    static final long POLL_MILLIS = 25;
    /** How long to wait for a dump whose file vanished to say whether it was staged or failed. */
    private static final long VANISHED_WAIT_MILLIS = 10_000;

    private final SignedUrlGate gate;
    private final LiveDumps live;
    private final StagedArtifactRepository artifacts;
    private final StagingArea staging;

    LiveArtifactController(UrlSigner signer, LiveDumps live, StagedArtifactRepository artifacts,
            StagingArea staging) {
        this.gate = new SignedUrlGate(signer, "artifact");
        this.live = live;
        this.artifacts = artifacts;
        this.staging = staging;
    }

    /** What is served: an open file, followed while its dump runs ({@code dump}) or of a known {@code size}. */
    private record Source(FileChannel file, LiveDumps.LiveDump dump, long size) {
    }

    @GetMapping("/artifacts/{runId}/live")
    ResponseEntity<ProblemDetail> live(@PathVariable String runId, @RequestParam(required = false) String expires,
            @RequestParam(required = false) String sig, HttpServletResponse response) throws IOException {
        gate.admit(ArtifactLocations.liveResource(runId), expires, sig);
        Optional<UUID> id = parse(runId);
        Optional<Source> opened = id.isEmpty() ? Optional.empty() : open(id.get());
        if (opened.isEmpty()) {
            return ProblemResponses.ofParameter(HttpStatus.NOT_FOUND, "runId",
                    "no running dump and no staged artifact for run " + runId);
        }
        Source source = opened.get();
        try (FileChannel file = source.file()) {
            response.setStatus(HttpServletResponse.SC_OK);
            response.setContentType(MediaType.APPLICATION_OCTET_STREAM_VALUE);
            response.setHeader(HttpHeaders.CONTENT_DISPOSITION, ContentDisposition.attachment()
                    .filename(String.valueOf(staging.artifactFile(id.get()).getFileName())).build().toString());
            response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
            // commit the 200 now: from here on a failed dump can only show as a broken body
            response.flushBuffer();
            long sent = source.dump() != null
                    ? LiveTail.follow(file, source.dump(), response.getOutputStream(), POLL_MILLIS)
                    : LiveTail.copy(file, source.size(), response.getOutputStream());
            log.debug("Served the live artifact of run {}: {} bytes", runId, sent);
        } catch (LiveTail.ClientGoneException e) {
            log.info("The reader of the live artifact of run {} went away: {}", runId, e.getMessage());
        } catch (LiveTail.DumpFailedException e) {
            log.info("Breaking off the live artifact of run {}: {}", runId, e.getMessage());
            throw abort(e.getMessage());
        } catch (IOException e) {
            log.warn("Breaking off the live artifact of run {}: cannot read the staging file: {}", runId,
                    e.getMessage());
            throw abort("cannot read the staging file of run " + runId);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw abort("interrupted while serving run " + runId);
        }
        return null;
    }

    /** The live dump's file, opened now; else the staged artifact's; empty if neither (or the dump failed). */
    private Optional<Source> open(UUID runId) throws IOException {
        Optional<LiveDumps.LiveDump> found = live.find(runId);
        if (found.isPresent() && found.get().state() != LiveDumps.State.FAILED) {
            LiveDumps.LiveDump dump = found.get();
            // the partial file, or the final one if it was renamed meanwhile (the same file)
            FileChannel file = tryOpen(dump.file());
            if (file == null) {
                file = tryOpen(staging.artifactFile(runId));
            }
            if (file == null && dump.state() == LiveDumps.State.RUNNING) {
                // deleted (the dump failed) or renamed between the two looks: the dump is about to say which
                try {
                    dump.awaitEnd(VANISHED_WAIT_MILLIS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return Optional.empty();
                }
                file = dump.state() == LiveDumps.State.DONE ? tryOpen(staging.artifactFile(runId)) : null;
            }
            if (file != null) {
                return Optional.of(new Source(file, dump, -1));
            }
        }
        Optional<StagedArtifact> staged = artifacts.findLive(runId);
        if (staged.isPresent()) {
            FileChannel file = tryOpen(staged.get().path());
            if (file != null) {
                return Optional.of(new Source(file, null, staged.get().sizeBytes()));
            }
        }
        return Optional.empty();
    }

    private static FileChannel tryOpen(Path path) throws IOException {
        try {
            return FileChannel.open(path, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static Optional<UUID> parse(String runId) {
        try {
            return Optional.of(UUID.fromString(runId));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * Thrown after the 200 was committed: the servlet container, finding the response committed, cannot send an
     * error and closes the connection without the terminating chunk, so the client sees a broken body. (Tomcat logs
     * it as a servlet error, without the URL. A {@code ClientAbortException} would not do: Spring and Tomcat take it
     * for a client gone and end the body cleanly.)
     */
    static final class LiveArtifactAbortedException extends RuntimeException {
        LiveArtifactAbortedException(String message) {
            super(message, null, false, false);
        }
    }

    private static LiveArtifactAbortedException abort(String message) {
        return new LiveArtifactAbortedException(message);
    }
}
