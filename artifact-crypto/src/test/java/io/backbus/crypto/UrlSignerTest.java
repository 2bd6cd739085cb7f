package io.backbus.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbus.crypto.UrlSigner.Verdict;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class UrlSignerTest {

    private static final Instant NOW = Instant.parse("2026-11-23T02:00:00Z");
    private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
    private final UrlSigner signer = new UrlSigner(KEY, Clock.fixed(NOW, ZoneOffset.UTC));
    private final UUID runId = UUID.fromString("3f1c2a9e-6b7d-4c1e-9a2b-5d8e7f6a1b2c");
    private final long expires = NOW.plusSeconds(3600).getEpochSecond();

    @Test
    void acceptsItsOwnSignatureBeforeExpiry() {
        String sig = signer.sign(runId.toString(), expires);

        assertThat(sig).matches("[0-9a-f]{64}");
        assertThat(signer.verify(runId.toString(), Long.toString(expires), sig)).isEqualTo(Verdict.VALID);
    }

    @Test
    void rejectsASignatureMovedToAnotherRun() {
        String sig = signer.sign(runId.toString(), expires);

        assertThat(signer.verify(UUID.randomUUID().toString(), Long.toString(expires), sig))
                .isEqualTo(Verdict.BAD_SIGNATURE);
    }

    @Test
    void rejectsAnExtendedExpiry() {
        String sig = signer.sign(runId.toString(), expires);

        assertThat(signer.verify(runId.toString(), Long.toString(expires + 86_400), sig))
                .isEqualTo(Verdict.BAD_SIGNATURE);
    }

    @Test
    void reportsACorrectlySignedUrlPastItsExpiryAsExpired() {
        long past = NOW.minusSeconds(1).getEpochSecond();
        String sig = signer.sign(runId.toString(), past);

        assertThat(signer.verify(runId.toString(), Long.toString(past), sig)).isEqualTo(Verdict.EXPIRED);
        long now = NOW.getEpochSecond();
        assertThat(signer.verify(runId.toString(), Long.toString(now), signer.sign(runId.toString(), now)))
                .as("a URL stops working at its expiry instant").isEqualTo(Verdict.EXPIRED);
    }

    @Test
    void rejectsMissingMalformedAndForeignSignatures() {
        String sig = signer.sign(runId.toString(), expires);
        String e = Long.toString(expires);

        assertThat(signer.verify(runId.toString(), e, null)).isEqualTo(Verdict.BAD_SIGNATURE);
        assertThat(signer.verify(runId.toString(), null, sig)).isEqualTo(Verdict.BAD_SIGNATURE);
        assertThat(signer.verify(runId.toString(), e, "zz" + sig.substring(2))).isEqualTo(Verdict.BAD_SIGNATURE);
        assertThat(signer.verify(runId.toString(), e, sig.substring(1))).isEqualTo(Verdict.BAD_SIGNATURE);
        assertThat(signer.verify(runId.toString(), "-1", sig)).isEqualTo(Verdict.BAD_SIGNATURE);
        assertThat(signer.verify(runId.toString(), e, sig.toUpperCase()))
                .as("hex case does not matter to the MAC").isEqualTo(Verdict.VALID);
        var other = new UrlSigner("another-key-another-key-another!!".getBytes(StandardCharsets.US_ASCII),
                Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(other.verify(runId.toString(), e, sig)).isEqualTo(Verdict.BAD_SIGNATURE);
    }
}
