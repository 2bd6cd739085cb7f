package io.backbus.agent.domain;

import io.backbus.crypto.UrlSigner;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Supplier;

/** Builds the signed, expiring URL at which this agent serves a staged artifact. */
public class ArtifactLocations {

    private final Supplier<String> baseUrl;
    private final UrlSigner signer;

    /** @param baseUrl this agent's public base URL, without a trailing slash (resolved late: the port may be random) */
    public ArtifactLocations(Supplier<String> baseUrl, UrlSigner signer) {
        this.baseUrl = baseUrl;
        this.signer = signer;
    }

    public String location(UUID runId, Instant expiresAt) {
        long expires = expiresAt.getEpochSecond();
        return baseUrl.get() + "/artifacts/" + runId + "?expires=" + expires + "&sig="
                + signer.sign(runId.toString(), expires);
    }
}
