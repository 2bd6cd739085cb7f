package io.backbus.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs and verifies artifact URLs: {@code sig} is the hex HMAC-SHA256 of {@code "<resource>\n<expires>"} (expires
 * in epoch seconds) under the signer's URL-signing key. The resource names what the URL serves (a run id for the
 * agent's staged artifacts, a restore for the uploader's decrypted ones). Whoever holds a URL may fetch that one
 * resource until it expires; nothing else. Used by the agent and the uploader, each with its own key.
 */
public final class UrlSigner {

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

    public UrlSigner(byte[] key, Clock clock) {
        if (key == null || key.length < 16) {
            throw new IllegalArgumentException("the URL-signing key must have at least 16 bytes");
        }
        this.key = new SecretKeySpec(key.clone(), ALGORITHM);
        this.clock = clock;
    }

    /** Hex signature of the URL of {@code resource} expiring at {@code expiresEpochSeconds}. */
    public String sign(String resource, long expiresEpochSeconds) {
        return HexFormat.of().formatHex(mac(resource, Long.toString(expiresEpochSeconds)));
    }

    /**
     * Checks the parameters of a presented URL exactly as they arrived. The signature is checked first, in constant
     * time, so that an unsigned request learns nothing about expiry or existence.
     */
    public Verdict verify(String resource, String expires, String signature) {
        if (resource == null || expires == null || signature == null || !expires.matches("\\d{1,18}")
                || signature.length() != SIGNATURE_HEX_LENGTH) {
            return Verdict.BAD_SIGNATURE;
        }
        byte[] presented;
        try {
            presented = HexFormat.of().parseHex(signature);
        } catch (IllegalArgumentException e) {
            return Verdict.BAD_SIGNATURE;
        }
        if (!MessageDigest.isEqual(mac(resource, expires), presented)) {
            return Verdict.BAD_SIGNATURE;
        }
        Instant expiresAt = Instant.ofEpochSecond(Long.parseLong(expires));
        return clock.instant().isBefore(expiresAt) ? Verdict.VALID : Verdict.EXPIRED;
    }

    private byte[] mac(String resource, String expires) {
        try {
            Mac mac = Mac.getInstance(ALGORITHM);
            mac.init(key);
            return mac.doFinal((resource + "\n" + expires).getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }

    @Override
    public String toString() {
        return "UrlSigner[HMAC-SHA256]";
    }
}
