package io.backbus.web.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtException;

/**
 * The two other ways to the issuer's keys ({@code ApiSecurityTest} covers {@code public-key-location}): a JWK set
 * at {@code jwk-set-uri}, and discovery from {@code issuer-uri} alone, both served by a local JDK HTTP server
 * standing in for the identity provider, with keys generated here.
 */
class JwtDecoderTest {

    private HttpServer idp;
    private RSAKey key;
    private String issuer;

    @BeforeEach
    void startTheIdentityProvider() throws Exception {
        key = new RSAKeyGenerator(2048).keyID("k1").generate();
        idp = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        issuer = "http://127.0.0.1:" + idp.getAddress().getPort() + "/realms/ops";
        serve("/realms/ops/jwks", new JWKSet(key.toPublicJWK()).toString());
        serve("/realms/ops/.well-known/openid-configuration", """
                {"issuer": "%s", "jwks_uri": "%s/jwks", "subject_types_supported": ["public"]}"""
                .formatted(issuer, issuer));
        idp.start();
    }

    @AfterEach
    void stop() {
        idp.stop(0);
    }

    private void serve(String path, String json) {
        idp.createContext(path, exchange -> {
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
    }

    private String token(String iss) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").build(),
                new JWTClaimsSet.Builder().issuer(iss).subject("alice").claim("roles", List.of("operator"))
                        .audience("backbus").expirationTime(Date.from(Instant.now().plusSeconds(300))).build());
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    @Test
    void aJwkSetUriVerifiesTheIssuersTokensAndChecksIssuerAndAudience() throws Exception {
        JwtDecoder decoder = ApiSecurityAutoConfiguration.jwtDecoder(new ApiSecurityProperties.Jwt(null,
                URI.create(issuer + "/jwks"), URI.create(issuer), "backbus", null, null));
        Jwt jwt = decoder.decode(token(issuer));
        assertThat(jwt.getSubject()).isEqualTo("alice");
        assertThat(new JwtRoles("roles", "sub").authorities(jwt.getClaims())).hasSize(1);
        assertThatThrownBy(() -> decoder.decode(token("https://other.example"))).isInstanceOf(JwtException.class);

        JwtDecoder otherAudience = ApiSecurityAutoConfiguration.jwtDecoder(new ApiSecurityProperties.Jwt(null,
                URI.create(issuer + "/jwks"), null, "billing", null, null));
        assertThatThrownBy(() -> otherAudience.decode(token(issuer))).isInstanceOf(JwtException.class);
    }

    @Test
    void anIssuerUriAloneDiscoversTheKeysWhenTheFirstTokenArrives() throws Exception {
        idp.stop(0);
        // down at start: the decoder is made anyway (the service starts), the keys are fetched later
        JwtDecoder decoder = ApiSecurityAutoConfiguration.jwtDecoder(new ApiSecurityProperties.Jwt(null, null,
                URI.create(issuer), null, null, null));
        startTheIdentityProviderAt(URI.create(issuer).getPort());
        assertThat(decoder.decode(token(issuer)).getSubject()).isEqualTo("alice");
    }

    private void startTheIdentityProviderAt(int port) throws Exception {
        idp = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        serve("/realms/ops/jwks", new JWKSet(key.toPublicJWK()).toString());
        serve("/realms/ops/.well-known/openid-configuration", """
                {"issuer": "%s", "jwks_uri": "%s/jwks", "subject_types_supported": ["public"]}"""
                .formatted(issuer, issuer));
        idp.start();
    }
}
