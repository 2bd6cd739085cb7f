package io.backbus.web.security;

import java.util.Arrays;
import java.util.Collection;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.security.core.GrantedAuthority;

/**
 * The roles of the Backbus HTTP APIs, each including the ones before it: {@code viewer} reads plans, runs,
 * backups, alerts and reports; {@code operator} also runs plans now, restores into new databases and replays;
 * {@code admin} also changes plans and policies, restores with {@code clean} or into an existing database and
 * rotates keys. A principal holds the authority {@code ROLE_<NAME>} ({@link #authority()}).
 */
public enum ApiRole {
    VIEWER, OPERATOR, ADMIN;

    /** The role as configured and as a JWT's roles claim names it: {@code viewer}, {@code operator}, {@code admin}. */
    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** {@code ROLE_VIEWER}, {@code ROLE_OPERATOR}, {@code ROLE_ADMIN}. */
    public String authority() {
        return "ROLE_" + name();
    }

    /** True if a holder of this role may do what {@code required} may. */
    public boolean includes(ApiRole required) {
        return ordinal() >= required.ordinal();
    }

    /** The role a wire name ({@code admin}, any case) names, empty for anything else. */
    public static Optional<ApiRole> ofWireName(String name) {
        if (name == null) {
            return Optional.empty();
        }
        String trimmed = name.trim();
        return Arrays.stream(values()).filter(r -> r.wireName().equalsIgnoreCase(trimmed)).findFirst();
    }

    /** "viewer, operator, admin", for messages. */
    public static String wireNames() {
        return Arrays.stream(values()).map(ApiRole::wireName).collect(Collectors.joining(", "));
    }

    /** The highest role among {@code authorities}, empty if they hold none. */
    public static Optional<ApiRole> highest(Collection<? extends GrantedAuthority> authorities) {
        ApiRole highest = null;
        for (GrantedAuthority authority : authorities) {
            for (ApiRole role : values()) {
                if (role.authority().equals(authority.getAuthority()) && (highest == null || role.includes(highest))) {
                    highest = role;
                }
            }
        }
        return Optional.ofNullable(highest);
    }
}
