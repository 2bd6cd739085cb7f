package io.backbus.web.security;

import java.util.function.Supplier;
import org.springframework.security.authentication.AnonymousAuthenticationToken;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationManager;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.core.Authentication;
import org.springframework.security.web.access.intercept.RequestAuthorizationContext;

/** Grants a request to an authenticated caller whose role includes {@code required}; a refusal names the role. */
final class RoleRule implements AuthorizationManager<RequestAuthorizationContext> {

    /** A refusal that says which role would have been admitted. */
    static final class Denied extends AuthorizationDecision {
        private final ApiRole required;

        Denied(ApiRole required) {
            super(false);
            this.required = required;
        }

        ApiRole required() {
            return required;
        }
    }

    private final ApiRole required;

    RoleRule(ApiRole required) {
        this.required = required;
    }

    @Override
    public AuthorizationResult authorize(Supplier<? extends Authentication> authentication,
            RequestAuthorizationContext context) {
        return granted(authentication.get(), required) ? new AuthorizationDecision(true) : new Denied(required);
    }

    static boolean granted(Authentication authentication, ApiRole required) {
        return authentication != null && authentication.isAuthenticated()
                && !(authentication instanceof AnonymousAuthenticationToken)
                && ApiRole.highest(authentication.getAuthorities()).map(r -> r.includes(required)).orElse(false);
    }

    @Override
    public String toString() {
        return "RoleRule[" + required.wireName() + "]";
    }
}
