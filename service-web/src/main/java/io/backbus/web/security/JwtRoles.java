package io.backbus.web.security;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.springframework.core.convert.converter.Converter;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;

/**
 * A verified JWT as a principal: its name from the principal claim, its roles from the roles claim (a list, or a
 * space-separated string; a dotted path walks into objects). Names that are not Backbus roles are ignored, so a
 * token of the organisation's issuer with other roles besides works; one with none is authenticated but may do
 * nothing.
 */
final class JwtRoles implements Converter<Jwt, AbstractAuthenticationToken> {

    private final String rolesClaim;
    private final String principalClaim;

    JwtRoles(String rolesClaim, String principalClaim) {
        this.rolesClaim = rolesClaim;
        this.principalClaim = principalClaim;
    }

    @Override
    public AbstractAuthenticationToken convert(Jwt jwt) {
        String name = jwt.getClaimAsString(principalClaim);
        return new JwtAuthenticationToken(jwt, authorities(jwt.getClaims()), name == null ? jwt.getSubject() : name);
    }

    List<GrantedAuthority> authorities(Map<String, Object> claims) {
        Object value = claims;
        for (String step : rolesClaim.split("\\.")) {
            value = value instanceof Map<?, ?> map ? map.get(step) : null;
        }
        List<String> names = new ArrayList<>();
        if (value instanceof String s) {
            names.addAll(List.of(s.trim().split("\\s+")));
        } else if (value instanceof Collection<?> c) {
            c.forEach(item -> names.add(String.valueOf(item)));
        }
        List<GrantedAuthority> authorities = new ArrayList<>();
        for (String n : names) {
            ApiRole.ofWireName(n).ifPresent(r -> authorities.add(new SimpleGrantedAuthority(r.authority())));
        }
        return authorities;
    }
}
