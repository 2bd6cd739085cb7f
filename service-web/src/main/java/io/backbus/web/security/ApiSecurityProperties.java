package io.backbus.web.security;

import io.backbus.web.security.StaticApiTokens.StaticToken;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * {@code backbus.security}: who may call a service's HTTP API. Static tokens (hashed at rest) and JWTs may be
 * configured together; at least one of them must be, or the service does not start (every request would be refused).
 * Each mistake fails the start with a message naming the property, never echoing a digest or key.
 *
 * @param tokens static API tokens: {@code tokens[i].name} (the principal), {@code .sha256} (64 hex digits of the
 *               token's SHA-256, never the token) and {@code .role} ({@code viewer}, {@code operator}, {@code admin})
 * @param jwt    OAuth2 resource server: JWTs signed by the key at {@code public-key-location}, or by a key of the
 *               set at {@code jwk-set-uri}, or (alone) of the issuer at {@code issuer-uri}, whose roles are in
 *               {@code roles-claim}
 */
@ConfigurationProperties("backbus.security")
public record ApiSecurityProperties(List<Token> tokens, Jwt jwt) {

    static final String PREFIX = "backbus.security";

    /** One static token as configured. */
    public record Token(String name, String sha256, String role) {
        @Override
        public String toString() {
            return "Token[" + name + ", " + role + "]";
        }
    }

    /**
     * @param publicKeyLocation an X.509 PEM RSA public key ({@code file:/etc/backbus/jwt.pem}, {@code classpath:})
     * @param jwkSetUri         the issuer's JWK set (fetched when first needed, then cached)
     * @param issuerUri         the expected {@code iss}; alone, also where the keys are discovered
     * @param audience          the expected {@code aud}, if any
     * @param rolesClaim        the claim holding the roles, a list or a space-separated string; a dotted path
     *                          ({@code realm_access.roles}) walks into objects; default {@code roles}
     * @param principalClaim    the claim naming the principal in audit lines; default {@code sub}
     */
    public record Jwt(String publicKeyLocation, URI jwkSetUri, URI issuerUri, String audience, String rolesClaim,
            String principalClaim) {

        public Jwt {
            rolesClaim = blank(rolesClaim) ? "roles" : rolesClaim.trim();
            principalClaim = blank(principalClaim) ? "sub" : principalClaim.trim();
            if (!blank(publicKeyLocation) && jwkSetUri != null) {
                throw new IllegalArgumentException("set only one of " + PREFIX + ".jwt.public-key-location and "
                        + PREFIX + ".jwt.jwk-set-uri");
            }
            httpUrl("jwt.jwk-set-uri", jwkSetUri);
            httpUrl("jwt.issuer-uri", issuerUri);
        }

        /** True if any source of keys is set. */
        public boolean enabled() {
            return !blank(publicKeyLocation) || jwkSetUri != null || issuerUri != null;
        }
    }

    public ApiSecurityProperties {
        tokens = tokens == null ? List.of() : List.copyOf(tokens);
        jwt = jwt == null ? new Jwt(null, null, null, null, null, null) : jwt;
        staticTokens(tokens);
        if (tokens.isEmpty() && !jwt.enabled()) {
            throw new IllegalArgumentException("no API credentials are configured: set " + PREFIX
                    + ".tokens[0].name, .sha256 and .role (static tokens) or " + PREFIX
                    + ".jwt.public-key-location, .jwk-set-uri or .issuer-uri (JWTs); without, every request would"
                    + " be refused");
        }
    }

    /** The configured static tokens, checked. */
    public StaticApiTokens staticTokens() {
        return staticTokens(tokens);
    }

    private static StaticApiTokens staticTokens(List<Token> tokens) {
        List<StaticToken> parsed = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> digests = new HashSet<>();
        for (int i = 0; i < tokens.size(); i++) {
            Token token = tokens.get(i);
            String at = PREFIX + ".tokens[" + i + "]";
            if (token == null || blank(token.name())) {
                throw new IllegalArgumentException(at + ".name must be set (it names the caller in audit lines)");
            }
            if (!names.add(token.name().trim())) {
                throw new IllegalArgumentException(at + ".name '" + token.name().trim() + "' is used twice");
            }
            String sha256 = token.sha256() == null ? "" : token.sha256().trim().toLowerCase(java.util.Locale.ROOT);
            if (!sha256.matches("[0-9a-f]{64}")) {
                // never the value: it might be the token itself, pasted by mistake
                throw new IllegalArgumentException(at + ".sha256 must be the 64 hex digits of the token's SHA-256"
                        + " (sha256sum of the token), not the token");
            }
            if (!digests.add(sha256)) {
                throw new IllegalArgumentException(at + ".sha256 is the digest of another configured token");
            }
            ApiRole role = ApiRole.ofWireName(token.role()).orElseThrow(() -> new IllegalArgumentException(at
                    + ".role must be one of " + ApiRole.wireNames() + " but is '" + token.role() + "'"));
            parsed.add(new StaticToken(token.name().trim(), HexFormat.of().parseHex(sha256), role));
        }
        return new StaticApiTokens(parsed);
    }

    private static void httpUrl(String name, URI value) {
        if (value == null) {
            return;
        }
        String scheme = value.getScheme();
        if (!value.isAbsolute() || value.getHost() == null
                || !("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme))) {
            throw new IllegalArgumentException(PREFIX + "." + name + " must be an absolute http or https URL");
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
