package io.backbus.web.security;

import io.backbus.web.security.StaticApiTokens.StaticToken;
import java.util.List;
import java.util.Optional;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.server.resource.authentication.BearerTokenAuthenticationToken;

/**
 * A bearer token that is one of the configured static tokens; any other token is left to the next provider (the
 * JWT one, or the refusal).
 */
final class StaticTokenAuthenticationProvider implements AuthenticationProvider {

    private final StaticApiTokens tokens;

    StaticTokenAuthenticationProvider(StaticApiTokens tokens) {
        this.tokens = tokens;
    }

    @Override
    public Authentication authenticate(Authentication authentication) {
        String presented = ((BearerTokenAuthenticationToken) authentication).getToken();
        Optional<StaticToken> token = tokens.match(presented);
        return token.map(StaticTokenAuthentication::new).orElse(null);
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return BearerTokenAuthenticationToken.class.isAssignableFrom(authentication);
    }

    /** A caller authenticated by a static token: named by the token's name; it never holds the token. */
    static final class StaticTokenAuthentication extends AbstractAuthenticationToken {
        private final String name;

        StaticTokenAuthentication(StaticToken token) {
            super(List.of(new SimpleGrantedAuthority(token.role().authority())));
            this.name = token.name();
            setAuthenticated(true);
        }

        @Override
        public Object getCredentials() {
            return null;
        }

        @Override
        public Object getPrincipal() {
            return name;
        }

        @Override
        public String getName() {
            return name;
        }
    }
}
