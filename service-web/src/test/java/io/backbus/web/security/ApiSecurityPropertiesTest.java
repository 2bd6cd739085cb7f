package io.backbus.web.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbus.testsupport.ApiCallers;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.security.core.authority.SimpleGrantedAuthority;

/** A bad {@code backbus.security} fails the service's start with a message naming the property. */
class ApiSecurityPropertiesTest {

    private static final String ADMIN_SHA = ApiCallers.sha256Hex("t0ken");

    private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(ApiSecurityAutoConfiguration.class));

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "backbus.security.tokens[0].name=x,backbus.security.tokens[0].sha256=t0ken,backbus.security.tokens[0].role=admin"
                    + "|backbus.security.tokens[0].sha256 must be the 64 hex digits of the token's SHA-256",
            "backbus.security.tokens[0].name=x,backbus.security.tokens[0].sha256=" + "ab"
                    + "|backbus.security.tokens[0].sha256 must be",
            "backbus.security.tokens[0].sha256=" + "0000000000000000000000000000000000000000000000000000000000000000"
                    + ",backbus.security.tokens[0].role=admin|backbus.security.tokens[0].name must be set",
            "backbus.security.tokens[0].name=x,backbus.security.tokens[0].sha256="
                    + "0000000000000000000000000000000000000000000000000000000000000000"
                    + ",backbus.security.tokens[0].role=root"
                    + "|backbus.security.tokens[0].role must be one of viewer, operator, admin but is 'root'",
            "backbus.security.jwt.public-key-location=file:/x.pem,backbus.security.jwt.jwk-set-uri=https://i/jwks"
                    + "|set only one of backbus.security.jwt.public-key-location and backbus.security.jwt.jwk-set-uri",
            "backbus.security.jwt.issuer-uri=not a url|backbus.security.jwt.issuer-uri",
            "backbus.security.jwt.jwk-set-uri=ftp://i/jwks|backbus.security.jwt.jwk-set-uri must be an absolute http",
            "backbus.security.jwt.public-key-location=file:/nonexistent/jwt.pem"
                    + "|backbus.security.jwt.public-key-location: cannot read an X.509 PEM RSA public key",
            "backbus.security.jwt.roles-claim=roles|no API credentials are configured: set backbus.security.tokens[0]",
            "spring.application.name=nothing-configured|no API credentials are configured"})
    void aBadConfigurationFailsTheStartNamingTheProperty(String properties, String message) {
        runner.withPropertyValues(properties.split(",")).run(context -> {
            assertThat(context).hasFailed();
            assertThat(messages(context.getStartupFailure())).contains(message).doesNotContain("t0ken");
        });
    }

    /** The messages of {@code failure} and its causes: Spring Boot prints them all when the start fails. */
    private static String messages(Throwable failure) {
        StringBuilder all = new StringBuilder();
        for (Throwable t = failure; t != null; t = t.getCause()) {
            all.append(t.getMessage()).append('\n');
        }
        return all.toString();
    }

    @Test
    void twoTokensWithOneNameOrOneDigestAreRefused() {
        runner.withPropertyValues("backbus.security.tokens[0].name=a", "backbus.security.tokens[0].sha256=" + ADMIN_SHA,
                "backbus.security.tokens[0].role=admin", "backbus.security.tokens[1].name=a",
                "backbus.security.tokens[1].sha256=" + ApiCallers.sha256Hex("other"),
                "backbus.security.tokens[1].role=viewer").run(context -> assertThat(context.getStartupFailure())
                        .rootCause().hasMessageContaining("backbus.security.tokens[1].name 'a' is used twice"));
        runner.withPropertyValues("backbus.security.tokens[0].name=a", "backbus.security.tokens[0].sha256=" + ADMIN_SHA,
                "backbus.security.tokens[0].role=admin", "backbus.security.tokens[1].name=b",
                "backbus.security.tokens[1].sha256=" + ADMIN_SHA.toUpperCase(),
                "backbus.security.tokens[1].role=viewer").run(context -> assertThat(context.getStartupFailure())
                        .rootCause().hasMessageContaining("backbus.security.tokens[1].sha256 is the digest of another"));
    }

    @Test
    void aGoodConfigurationStartsWithTheTokensParsed() {
        runner.withPropertyValues("backbus.security.tokens[0].name=ops", "backbus.security.tokens[0].sha256="
                + ADMIN_SHA.toUpperCase(), "backbus.security.tokens[0].role=Operator").run(context -> {
                    assertThat(context).hasNotFailed();
                    StaticApiTokens tokens = context.getBean(ApiSecurityProperties.class).staticTokens();
                    assertThat(tokens.match("t0ken")).get().extracting(StaticApiTokens.StaticToken::name,
                            StaticApiTokens.StaticToken::role).containsExactly("ops", ApiRole.OPERATOR);
                    assertThat(tokens.match("t0ken ")).isEmpty();
                    assertThat(tokens.match(ADMIN_SHA)).isEmpty();
                    assertThat(tokens.match("")).isEmpty();
                    assertThat(tokens.toString()).doesNotContain(ADMIN_SHA).contains("ops");
                });
    }

    @Test
    void tokensAreHashedAsSha256HexAndGeneratedRandom() {
        // sha256sum of "abc"
        assertThat(StaticApiTokens.sha256Hex("abc"))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        String token = StaticApiTokens.generate();
        assertThat(token).hasSize(43).matches("[A-Za-z0-9_-]+").isNotEqualTo(StaticApiTokens.generate());
    }

    @Test
    void rolesIncludeTheLowerOnes() {
        assertThat(ApiRole.ADMIN.includes(ApiRole.OPERATOR)).isTrue();
        assertThat(ApiRole.OPERATOR.includes(ApiRole.VIEWER)).isTrue();
        assertThat(ApiRole.VIEWER.includes(ApiRole.OPERATOR)).isFalse();
        assertThat(ApiRole.OPERATOR.includes(ApiRole.ADMIN)).isFalse();
        assertThat(ApiRole.ofWireName(" ADMIN ")).contains(ApiRole.ADMIN);
        assertThat(ApiRole.ofWireName("root")).isEmpty();
    }

    @Test
    void jwtRolesComeFromTheClaimAsAListAStringOrADottedPath() {
        assertThat(new JwtRoles("roles", "sub").authorities(Map.of("roles", List.of("viewer", "billing"))))
                .containsExactly(new SimpleGrantedAuthority("ROLE_VIEWER"));
        assertThat(new JwtRoles("scope", "sub").authorities(Map.of("scope", "openid admin")))
                .containsExactly(new SimpleGrantedAuthority("ROLE_ADMIN"));
        assertThat(new JwtRoles("realm_access.roles", "sub")
                .authorities(Map.of("realm_access", Map.of("roles", List.of("operator")))))
                .containsExactly(new SimpleGrantedAuthority("ROLE_OPERATOR"));
        assertThat(new JwtRoles("roles", "sub").authorities(Map.of("other", "admin"))).isEmpty();
    }
}
