package io.backbus.agent.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbus.crypto.UrlSigner;
import io.backbus.crypto.UrlSigner.Verdict;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class ArtifactLocationsTest {

    private static final Instant NOW = Instant.parse("2026-11-23T02:00:00Z");
    private final UrlSigner signer = new UrlSigner("0123456789abcdef0123456789abcdef".getBytes(
            StandardCharsets.US_ASCII), Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void buildsASignedLocationFromTheBaseUrlThatTheSignerAccepts() {
        UUID runId = UUID.randomUUID();
        long expires = NOW.getEpochSecond() + 3600;
        var locations = new ArtifactLocations(() -> "http://db-host-1:8082", signer);

        String location = locations.location(runId, Instant.ofEpochSecond(expires));

        String sig = signer.sign(runId.toString(), expires);
        assertThat(location).isEqualTo("http://db-host-1:8082/artifacts/" + runId + "?expires=" + expires
                + "&sig=" + sig);
        assertThat(signer.verify(runId.toString(), Long.toString(expires), sig)).isEqualTo(Verdict.VALID);
    }

    @Test
    void signsTheLiveLocationOverItsOwnResourceSoNeitherUrlOpensTheOther() {
        UUID runId = UUID.randomUUID();
        long expires = NOW.getEpochSecond() + 3600;
        var locations = new ArtifactLocations(() -> "http://db-host-1:8082", signer);

        String live = locations.liveLocation(runId, Instant.ofEpochSecond(expires));
        String staged = locations.location(runId, Instant.ofEpochSecond(expires));

        String liveSig = live.substring(live.indexOf("&sig=") + 5);
        String stagedSig = staged.substring(staged.indexOf("&sig=") + 5);
        assertThat(live).isEqualTo("http://db-host-1:8082/artifacts/" + runId + "/live?expires=" + expires
                + "&sig=" + signer.sign(runId + "/live", expires));
        assertThat(ArtifactLocations.liveResource(runId.toString())).isEqualTo(runId + "/live");
        assertThat(signer.verify(runId + "/live", Long.toString(expires), liveSig)).isEqualTo(Verdict.VALID);
        assertThat(signer.verify(runId.toString(), Long.toString(expires), liveSig))
                .isEqualTo(Verdict.BAD_SIGNATURE);
        assertThat(signer.verify(runId + "/live", Long.toString(expires), stagedSig))
                .isEqualTo(Verdict.BAD_SIGNATURE);
    }
}
