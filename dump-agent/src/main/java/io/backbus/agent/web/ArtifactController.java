package io.backbus.agent.web;

import io.backbus.agent.domain.StagedArtifact;
import io.backbus.agent.storage.StagedArtifactRepository;
import io.backbus.crypto.UrlSigner;
import java.nio.file.Files;
import java.util.Optional;
import java.util.UUID;
import org.springframework.core.io.FileSystemResource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves staged artifacts to whoever holds a signed, unexpired URL: bad or missing signature 403, expired 410,
 * unknown or already deleted 404. The body is streamed from disk, never held in memory.
 */
@RestController
class ArtifactController {

    private final UrlSigner signer;
    private final StagedArtifactRepository artifacts;

    ArtifactController(UrlSigner signer, StagedArtifactRepository artifacts) {
        this.signer = signer;
        this.artifacts = artifacts;
    }

    @GetMapping("/artifacts/{runId}")
    ResponseEntity<?> artifact(@PathVariable String runId, @RequestParam(required = false) String expires,
            @RequestParam(required = false) String sig) {
        switch (signer.verify(runId, expires, sig)) {
            case BAD_SIGNATURE:
                return problem(HttpStatus.FORBIDDEN, "sig", "missing or invalid signature for this URL");
            case EXPIRED:
                return problem(HttpStatus.GONE, "expires", "this artifact URL has expired");
            default:
                break;
        }
        Optional<StagedArtifact> staged = parse(runId).flatMap(artifacts::findLive);
        if (staged.isEmpty() || !Files.isRegularFile(staged.get().path())) {
            return problem(HttpStatus.NOT_FOUND, "runId", "no staged artifact for run " + runId);
        }
        StagedArtifact artifact = staged.get();
        return ResponseEntity.ok()
                .contentType(MediaType.APPLICATION_OCTET_STREAM)
                .contentLength(artifact.sizeBytes())
                .header("Content-Disposition", ContentDisposition.attachment()
                        .filename(String.valueOf(artifact.path().getFileName())).build().toString())
                .header("X-Checksum-SHA256", artifact.sha256())
                .body(new FileSystemResource(artifact.path()));
    }

    private static Optional<UUID> parse(String runId) {
        try {
            return Optional.of(UUID.fromString(runId));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    private static ResponseEntity<ProblemDetail> problem(HttpStatus status, String parameter, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setProperty("parameter", parameter);
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
