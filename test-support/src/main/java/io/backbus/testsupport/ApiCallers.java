package io.backbus.testsupport;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPrivateKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The callers of a service under test: one static token per role ({@code backbus.security.tokens}, configured by
 * {@link #springProperties} with their SHA-256 only) and JWTs signed by an RSA key generated for this JVM, whose
 * public key the service trusts ({@code backbus.security.jwt.public-key-location}, issuer {@link #ISSUER}, roles in
 * claim {@code roles}). {@link TestServers#springProperties} configures both for every service IT.
 */
public enum ApiCallers {
    VIEWER, OPERATOR, ADMIN;

    public static final String ISSUER = "https://issuer.backbus.test";
    public static final String ROLES_CLAIM = "roles";
    private static final KeyPair KEYS = rsaKeys();
    private static volatile Path publicKeyFile;

    /** The role as configured: {@code viewer}, {@code operator}, {@code admin}. */
    public String role() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The static token's name, as audit lines name the caller: {@code it-viewer}. */
    public String tokenName() {
        return "it-" + role();
    }

    /** The static token itself (fixed, so a failing test can be replayed with curl). */
    public String token() {
        return "backbus-it-" + role() + "-token-0123456789abcdef";
    }

    /** {@code Authorization} header value with the static token. */
    public String bearer() {
        return "Bearer " + token();
    }

    /** {@code Authorization} header value with a valid JWT of this role, subject {@code jwt-<role>}. */
    public String jwtBearer() {
        return "Bearer " + jwt(c -> c.subject("jwt-" + role()).claim(ROLES_CLAIM, List.of(role())));
    }

    /** Registers the three static tokens and the JWT settings with {@code registry}. */
    public static void springProperties(DynamicPropertyRegistry registry) {
        for (ApiCallers caller : values()) {
            String at = "backbus.security.tokens[" + caller.ordinal() + "]";
            registry.add(at + ".name", caller::tokenName);
            registry.add(at + ".sha256", () -> sha256Hex(caller.token()));
            registry.add(at + ".role", caller::role);
        }
        registry.add("backbus.security.jwt.public-key-location", () -> publicKeyFile().toUri().toString());
        registry.add("backbus.security.jwt.issuer-uri", () -> ISSUER);
        registry.add("backbus.security.jwt.roles-claim", () -> ROLES_CLAIM);
    }

    /**
     * A JWT signed by this JVM's key, issuer {@link #ISSUER}, valid for 5 minutes, with what {@code claims} adds
     * (or overrides: {@code .expirationTime(past)}, {@code .issuer("other")}).
     */
    public static String jwt(Consumer<JWTClaimsSet.Builder> claims) {
        return jwt(claims, (RSAPrivateKey) KEYS.getPrivate());
    }

    /** A JWT as {@link #jwt(Consumer)}, but signed by a key the services do not trust. */
    public static String jwtOfAnotherKey(Consumer<JWTClaimsSet.Builder> claims) {
        return jwt(claims, (RSAPrivateKey) rsaKeys().getPrivate());
    }

    private static String jwt(Consumer<JWTClaimsSet.Builder> claims, RSAPrivateKey key) {
        Instant now = Instant.now();
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder().issuer(ISSUER).issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(Duration.ofMinutes(5))));
        claims.accept(builder);
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.RS256), builder.build());
        try {
            jwt.sign(new RSASSASigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException(e);
        }
        return jwt.serialize();
    }

    /** The trusted public key as an X.509 PEM file (written once per JVM). */
    public static synchronized Path publicKeyFile() {
        if (publicKeyFile == null) {
            try {
                Path file = Files.createTempFile("backbus-it-jwt-", ".pem");
                file.toFile().deleteOnExit();
                String pem = "-----BEGIN PUBLIC KEY-----\n"
                        + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                                .encodeToString(KEYS.getPublic().getEncoded())
                        + "\n-----END PUBLIC KEY-----\n";
                Files.writeString(file, pem);
                publicKeyFile = file;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return publicKeyFile;
    }

    public static String sha256Hex(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static KeyPair rsaKeys() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
