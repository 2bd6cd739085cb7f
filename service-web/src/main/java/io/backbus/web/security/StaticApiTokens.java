package io.backbus.web.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The static API tokens of a small installation, held as SHA-256 digests only (the tokens themselves are never
 * configured nor kept): a presented token is hashed and compared with every configured digest in constant time.
 * Tokens are random (at least 128 bits, {@link #generate()}), so a fast unsalted hash is as good as a slow one.
 */
public final class StaticApiTokens {

    /** One configured token: its name (the principal, as audit lines show it), digest and role. */
    public record StaticToken(String name, byte[] sha256, ApiRole role) {
        @Override
        public String toString() {
            // never the digest: it identifies the token
            return "StaticToken[" + name + ", " + role.wireName() + "]";
        }
    }

    private static final SecureRandom RANDOM = new SecureRandom();
    private final List<StaticToken> tokens;

    public StaticApiTokens(List<StaticToken> tokens) {
        this.tokens = List.copyOf(tokens);
    }

    /** The configured token {@code presented} is, if any; every digest is compared, so timing tells nothing. */
    public Optional<StaticToken> match(String presented) {
        if (presented == null || presented.isEmpty()) {
            return Optional.empty();
        }
        byte[] digest = sha256(presented);
        StaticToken found = null;
        for (StaticToken token : tokens) {
            if (MessageDigest.isEqual(digest, token.sha256()) && found == null) {
                found = token;
            }
        }
        return Optional.ofNullable(found);
    }

    public boolean isEmpty() {
        return tokens.isEmpty();
    }

    /** The lowercase hex SHA-256 of {@code token}'s UTF-8 bytes: what {@code backbus.security.tokens[i].sha256} holds. */
    public static String sha256Hex(String token) {
        return HexFormat.of().formatHex(sha256(token));
    }

    /** A new random token: 32 bytes, URL-safe Base64 without padding (43 characters). */
    public static String generate() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static byte[] sha256(String token) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public String toString() {
        return "StaticApiTokens" + tokens;
    }
}
