package io.backbus.agent.domain;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies artifact URLs: {@code sig} is the hex HMAC-SHA256 of {@code "<runId>\n<expires>"} (expires in
 * epoch seconds) under the agent's URL-signing key. Whoever holds a URL may fetch that one artifact until it
 * expires; nothing else.
 */
public final class ArtifactUrlSigner {

    private static final String ALGORITHM = "HmacSHA256";
    private static final int SIGNATURE_HEX_LENGTH = 64;

    /** The result of checking a presented URL. */
    public enum Verdict {
        /** Signature matches and the URL has not expired. */
        VALID,
        /** Missing, malformed or wrong signature (or parameters that were tampered with). */
        BAD_SIGNATURE,
        /** Correctly signed, but past its expiry. */
        EXPIRED
    }

    private final SecretKeySpec key;
    private final Clock clock;

    public ArtifactUrlSigner(byte[] key, Clock clock) {
        if (key == null || key.length < 16) {
            throw new IllegalArgumentException("the URL-signing key must have at least 16 bytes");
        }
        this.key = new SecretKeySpec(key.clone(), ALGORITHM);
        this.clock = clock;
    }

    /** Hex signature of this run's URL expiring at {@code expiresEpochSeconds}. */
    public String sign(UUID runId, long expiresEpochSeconds) {
        return HexFormat.of().formatHex(mac(runId.toString(), Long.toString(expiresEpochSeconds)));
    }

    /**
     * Checks the parameters of a presented URL exactly as they arrived. The signature is checked first, in constant
     * time, so that an unsigned request learns nothing about expiry or existence.
     */
    public Verdict verify(String runId, String expires, String signature) {
        if (runId == null || expires == null || signature == null || !expires.matches("\\d{1,18}")
                || signature.length() != SIGNATURE_HEX_LENGTH) {
            return Verdict.BAD_SIGNATURE;
        }
        byte[] presented;
        try {
            presented = HexFormat.of().parseHex(signature);
        } catch (IllegalArgumentException e) {
            return Verdict.BAD_SIGNATURE;
        }
        if (!MessageDigest.isEqual(mac(runId, expires), presented)) {
            return Verdict.BAD_SIGNATURE;
        }
        Instant expiresAt = Instant.ofEpochSecond(Long.parseLong(expires));
        return clock.instant().isBefore(expiresAt) ? Verdict.VALID : Verdict.EXPIRED;
    }

    private byte[] mac(String runId, String expires) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal((runId + "\n" + expires).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    @Override
    public String toString() {
        return "ArtifactUrlSigner[HMAC-SHA256]";
    }
}
