package io.backbus.web.security;

import jakarta.servlet.DispatcherType;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.InputStream;
import java.security.interfaces.RSAPublicKey;
import java.util.ArrayList;
import java.util.List;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.io.DefaultResourceLoader;
import org.springframework.core.io.Resource;
import org.springframework.http.HttpMethod;
import org.springframework.security.access.hierarchicalroles.RoleHierarchy;
import org.springframework.security.access.hierarchicalroles.RoleHierarchyImpl;
import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.AuthenticationManagerResolver;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configuration.EnableWebSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.converter.RsaKeyConverters;
import org.springframework.security.oauth2.core.DelegatingOAuth2TokenValidator;
import org.springframework.security.oauth2.core.OAuth2TokenValidator;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.jwt.SupplierJwtDecoder;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationProvider;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

/**
 * API authentication and roles for every Backbus service (ADR 0011): a stateless resource server that admits a
 * bearer token that is one of {@code backbus.security.tokens} (hashed at rest) or a JWT verified against
 * {@code backbus.security.jwt}; the service's {@link ApiEndpointRules} say which role each endpoint needs, and
 * anything they do not name is refused. Liveness and readiness ({@code /actuator/health/**}) stay open;
 * {@code /actuator/info} and {@code /actuator/metrics/**} need {@code viewer}, any other actuator endpoint
 * {@code admin}. Refusals are problem+json ({@link ApiProblems}).
 */
@AutoConfiguration(beforeName = {
        "org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.actuate.web.servlet.ManagementWebSecurityAutoConfiguration",
        "org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration",
        "org.springframework.boot.security.oauth2.server.resource.autoconfigure.servlet.OAuth2ResourceServerAutoConfiguration"})
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass(SecurityFilterChain.class)
@EnableWebSecurity
@EnableConfigurationProperties(ApiSecurityProperties.class)
public class ApiSecurityAutoConfiguration {

    @Bean
    static RoleHierarchy apiRoleHierarchy() {
        return RoleHierarchyImpl.fromHierarchy("ROLE_ADMIN > ROLE_OPERATOR\nROLE_OPERATOR > ROLE_VIEWER");
    }

    @Bean
    AuthenticationManagerResolver<HttpServletRequest> apiAuthenticationManagerResolver(
            ApiSecurityProperties properties) {
        List<AuthenticationProvider> providers = new ArrayList<>();
        StaticApiTokens tokens = properties.staticTokens();
        if (!tokens.isEmpty()) {
            providers.add(new StaticTokenAuthenticationProvider(tokens));
        }
        if (properties.jwt().enabled()) {
            JwtAuthenticationProvider jwt = new JwtAuthenticationProvider(jwtDecoder(properties.jwt()));
            jwt.setJwtAuthenticationConverter(new JwtRoles(properties.jwt().rolesClaim(),
                    properties.jwt().principalClaim()));
            providers.add(jwt);
        }
        providers.add(new Unknown());
        AuthenticationManager manager = new ProviderManager(providers);
        return request -> manager;
    }

    /** What the firewall refuses is a problem like every other refusal (Spring Security picks this bean up). */
    @Bean
    RequestRejectedHandler apiRequestRejectedHandler() {
        return new ApiProblems();
    }

    @Bean
    SecurityFilterChain apiSecurityFilterChain(HttpSecurity http,
            AuthenticationManagerResolver<HttpServletRequest> resolver, ObjectProvider<ApiEndpointRules> rulesBeans)
            throws Exception {
        List<ApiEndpointRules> serviceRules = rulesBeans.orderedStream().toList();
        ApiProblems problems = new ApiProblems();
        http.csrf(csrf -> csrf.disable())
                .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
                .requestCache(cache -> cache.disable())
                .securityContext(c -> c.requireExplicitSave(true))
                .oauth2ResourceServer(rs -> rs.authenticationManagerResolver(resolver)
                        .authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .exceptionHandling(e -> e.authenticationEntryPoint(problems).accessDeniedHandler(problems))
                .authorizeHttpRequests(auth -> {
                    // an error or async dispatch continues a request that was already admitted
                    auth.dispatcherTypeMatchers(DispatcherType.ERROR, DispatcherType.ASYNC).permitAll();
                    auth.requestMatchers(HttpMethod.GET, "/actuator/health", "/actuator/health/**").permitAll();
                    for (ApiEndpointRules rules : serviceRules) {
                        for (ApiEndpointRules.Rule rule : rules.rules()) {
                            var matchers = rule.patterns().stream()
                                    .map(p -> PathPatternRequestMatcher.withDefaults().matcher(rule.method(), p))
                                    .toArray(PathPatternRequestMatcher[]::new);
                            if (rule.role() == null) {
                                auth.requestMatchers(matchers).permitAll();
                            } else {
                                auth.requestMatchers(matchers).access(new RoleRule(rule.role()));
                            }
                        }
                    }
                    auth.requestMatchers(HttpMethod.GET, "/actuator/info", "/actuator/metrics",
                            "/actuator/metrics/**").access(new RoleRule(ApiRole.VIEWER));
                    auth.requestMatchers("/actuator/**").access(new RoleRule(ApiRole.ADMIN));
                    // fail closed: an endpoint no rule names is refused
                    auth.anyRequest().denyAll();
                });
        return http.build();
    }

    static JwtDecoder jwtDecoder(ApiSecurityProperties.Jwt jwt) {
        OAuth2TokenValidator<org.springframework.security.oauth2.jwt.Jwt> validator = jwt.issuerUri() == null
                ? JwtValidators.createDefault() : JwtValidators.createDefaultWithIssuer(jwt.issuerUri().toString());
        if (jwt.audience() != null && !jwt.audience().isBlank()) {
            String audience = jwt.audience().trim();
            validator = new DelegatingOAuth2TokenValidator<>(validator, new JwtClaimValidator<List<String>>("aud",
                    aud -> aud != null && aud.contains(audience)));
        }
        OAuth2TokenValidator<org.springframework.security.oauth2.jwt.Jwt> validators = validator;
        if (jwt.publicKeyLocation() != null && !jwt.publicKeyLocation().isBlank()) {
            NimbusJwtDecoder decoder = NimbusJwtDecoder.withPublicKey(publicKey(jwt.publicKeyLocation().trim()))
                    .build();
            decoder.setJwtValidator(validators);
            return decoder;
        }
        if (jwt.jwkSetUri() != null) {
            NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSetUri(jwt.jwkSetUri().toString()).build();
            decoder.setJwtValidator(validators);
            return decoder;
        }
        // the issuer's keys, discovered when the first token arrives (the issuer need not be up at start)
        return new SupplierJwtDecoder(() -> {
            NimbusJwtDecoder decoder = NimbusJwtDecoder.withIssuerLocation(jwt.issuerUri().toString()).build();
            decoder.setJwtValidator(validators);
            return decoder;
        });
    }

    private static RSAPublicKey publicKey(String location) {
        Resource resource = new DefaultResourceLoader().getResource(location);
        try (InputStream in = resource.getInputStream()) {
            return RsaKeyConverters.x509().convert(in);
        } catch (IOException | RuntimeException e) {
            throw new IllegalStateException(ApiSecurityProperties.PREFIX + ".jwt.public-key-location: cannot read an"
                    + " X.509 PEM RSA public key from " + location + " (" + e.getClass().getSimpleName() + ")", e);
        }
    }

    /** Last in line: a bearer token that no configured way admits. */
    static final class Unknown implements AuthenticationProvider {
        @Override
        public org.springframework.security.core.Authentication authenticate(
                org.springframework.security.core.Authentication authentication) {
            throw new InvalidBearerTokenException("unknown bearer token");
        }

        @Override
        public boolean supports(Class<?> authentication) {
            return BearerTokenAuthenticationToken.class.isAssignableFrom(authentication);
        }
    }
}
