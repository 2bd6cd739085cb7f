package io.backbus.agent.web;

import io.backbus.agent.domain.StagedArtifact;
import io.backbus.agent.storage.StagedArtifactRepository;
import io.backbus.crypto.UrlSigner;
import io.backbus.web.ProblemResponses;
import io.backbus.web.SignedUrlGate;
import java.nio.file.Files;
import java.util.Optional;
import java.util.UUID;
import org.springframework.core.io.FileSystemResource;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Serves staged artifacts to whoever holds a signed, unexpired URL: bad or missing signature or expired 403,
 * unknown or already deleted 404. The body is streamed from disk, never held in memory.
 */
@RestController
class ArtifactController {

    private final SignedUrlGate gate;
    private final StagedArtifactRepository artifacts;

    ArtifactController(UrlSigner signer, StagedArtifactRepository artifacts) {
        this.gate = new SignedUrlGate(signer, "artifact");
        this.artifacts = artifacts;
    }

    @GetMapping("/artifacts/{runId}")
    ResponseEntity<?> artifact(@PathVariable String runId, @RequestParam(required = false) String expires,
            @RequestParam(required = false) String sig) {
        gate.admit(runId, expires, sig);
        Optional<StagedArtifact> staged = parse(runId).flatMap(artifacts::findLive);
        if (staged.isEmpty() || !Files.isRegularFile(staged.get().path())) {
            return ProblemResponses.ofParameter(HttpStatus.NOT_FOUND, "runId", "no staged artifact for run " + runId);
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
}
