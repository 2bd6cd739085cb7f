package io.backbus.agent.domain;

import io.backbus.crypto.UrlSigner;
import java.time.Instant;
import java.util.UUID;
import java.util.function.Supplier;

/** Builds the signed, expiring URLs at which this agent serves a staged artifact, or one still being dumped. */
public class ArtifactLocations {

    private final Supplier<String> baseUrl;
    private final UrlSigner signer;

    /** @param baseUrl this agent's public base URL, without a trailing slash (resolved late: the port may be random) */
    public ArtifactLocations(Supplier<String> baseUrl, UrlSigner signer) {
        this.baseUrl = baseUrl;
        this.signer = signer;
    }

    /**
     * What the URL of a run's live artifact signs: {@code <runId>/live}, never a bare run id, so that the URL of the
     * staged artifact ({@code /artifacts/<runId>}, signing {@code <runId>}) does not open the live one, nor the
     * other way round.
     */
    public static String liveResource(String runId) {
        return runId + "/live";
    }

    /** {@code <public-url>/artifacts/<runId>/live?expires=<epochSeconds>&sig=<hex>}: the artifact while it is dumped. */
    public String liveLocation(UUID runId, Instant expiresAt) {
        long expires = expiresAt.getEpochSecond();
        return baseUrl.get() + "/artifacts/" + runId + "/live?expires=" + expires + "&sig="
                + signer.sign(liveResource(runId.toString()), expires);
    }

    /** {@code <public-url>/artifacts/<runId>?expires=<epochSeconds>&sig=<hex>}: the staged artifact. */
    public String location(UUID runId, Instant expiresAt) {
        long expires = expiresAt.getEpochSecond();
        return baseUrl.get() + "/artifacts/" + runId + "?expires=" + expires + "&sig="
                + signer.sign(runId.toString(), expires);
    }
}
