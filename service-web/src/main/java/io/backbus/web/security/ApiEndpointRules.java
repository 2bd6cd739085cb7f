package io.backbus.web.security;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.springframework.http.HttpMethod;

/**
 * The rules of one service's HTTP API, declared as a bean: which requests are open (signed artifact URLs, whose
 * HMAC is their credential) and which role each other one needs. Rules apply in order, the first matching wins;
 * a request no rule of any bean matches is refused (401 without credentials, 403 with), so a new endpoint is
 * closed until a rule names it. Patterns are Spring {@code PathPattern}s ({@code /plans/*}/{@code runs},
 * {@code /artifacts/**}).
 *
 * <pre>{@code
 * @Bean ApiEndpointRules schedulerApi() {
 *     return ApiEndpointRules.builder()
 *             .require(ApiRole.VIEWER, HttpMethod.GET, "/plans", "/plans/**")
 *             .require(ApiRole.ADMIN, HttpMethod.POST, "/plans")
 *             .build();
 * }
 * }</pre>
 */
public final class ApiEndpointRules {

    /** One rule: {@code method} (null: any) and {@code patterns}; {@code role} null means open to anyone. */
    public record Rule(HttpMethod method, List<String> patterns, ApiRole role) {
        public Rule {
            patterns = List.copyOf(patterns);
            if (patterns.isEmpty()) {
                throw new IllegalArgumentException("a rule needs at least one path pattern");
            }
        }

        @Override
        public String toString() {
            return (method == null ? "*" : method.name()) + " " + patterns + " -> "
                    + (role == null ? "open" : role.wireName());
        }
    }

    private final List<Rule> rules;

    private ApiEndpointRules(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    public List<Rule> rules() {
        return rules;
    }

    public static Builder builder() {
        return new Builder();
    }

    @Override
    public String toString() {
        return "ApiEndpointRules" + rules;
    }

    public static final class Builder {
        private final List<Rule> rules = new ArrayList<>();

        private Builder() {
        }

        /** Requests to {@code patterns} by {@code method} need {@code role} (or a role including it). */
        public Builder require(ApiRole role, HttpMethod method, String... patterns) {
            rules.add(new Rule(Objects.requireNonNull(method, "method"), List.of(patterns),
                    Objects.requireNonNull(role, "role")));
            return this;
        }

        /** Requests to {@code patterns} by any method need {@code role} (or a role including it). */
        public Builder require(ApiRole role, String... patterns) {
            rules.add(new Rule(null, List.of(patterns), Objects.requireNonNull(role, "role")));
            return this;
        }

        /**
         * Requests to {@code patterns} by any method need no credentials: only for endpoints that check one of their
         * own (the signed, expiring artifact URLs).
         */
        public Builder open(String... patterns) {
            rules.add(new Rule(null, List.of(patterns), null));
            return this;
        }

        public ApiEndpointRules build() {
            return new ApiEndpointRules(rules);
        }
    }
}
