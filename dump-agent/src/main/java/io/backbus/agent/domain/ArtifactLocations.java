package io.backbus.agent.domain;

import java.time.Instant;
import java.util.UUID;
import java.util.function.Supplier;

/** Builds the signed, expiring URL at which this agent serves a staged artifact. */
public class ArtifactLocations {

    private final Supplier<String> baseUrl;
    private final ArtifactUrlSigner signer;

    /** @param baseUrl this agent's public base URL, without a trailing slash (resolved late: the port may be random) */
    public ArtifactLocations(Supplier<String> baseUrl, ArtifactUrlSigner signer) {
        this.baseUrl = baseUrl;
        this.signer = signer;
    }

    public String location(UUID runId, Instant expiresAt) {
        long expires = expiresAt.getEpochSecond();
        return baseUrl.get() + "/artifacts/" + runId + "?expires=" + expires + "&sig=" + signer.sign(runId, expires);
    }
}
