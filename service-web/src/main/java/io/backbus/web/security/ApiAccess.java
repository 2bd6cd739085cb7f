package io.backbus.web.security;

import org.springframework.http.HttpStatus;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.ErrorResponseException;

/**
 * Checks that depend on what a request asks, made by the controller once it has read the body (a restore with
 * {@code clean} needs {@code admin} where one into a new database needs {@code operator}). A refusal is the same
 * 403 problem the filters answer.
 */
public final class ApiAccess {

    private ApiAccess() {
    }

    /**
     * Returns if the current caller's role includes {@code role}.
     *
     * @param what what the request asks that needs the role ("a restore with clean"), for the problem's detail
     * @throws Refused 403 {@code application/problem+json} naming the role
     */
    public static void require(ApiRole role, String what) {
        if (!RoleRule.granted(SecurityContextHolder.getContext().getAuthentication(), role)) {
            ApiAudit.log("denied", what + " needs the role " + role.wireName());
            throw new Refused(role, what);
        }
    }

    /** The current caller's name: a static token's name or the JWT's principal claim; "anonymous" without one. */
    public static String principal() {
        Authentication authentication = SecurityContextHolder.getContext().getAuthentication();
        return authentication == null || !authentication.isAuthenticated() ? "anonymous" : authentication.getName();
    }

    /** A refusal of {@link #require}: 403, rendered by {@code ProblemResponses} like any ErrorResponseException. */
    public static final class Refused extends ErrorResponseException {
        Refused(ApiRole role, String what) {
            super(HttpStatus.FORBIDDEN, problem(role, what), null);
        }

        private static org.springframework.http.ProblemDetail problem(ApiRole role, String what) {
            var problem = ApiProblems.forbidden(role);
            problem.setDetail(what + " needs the role '" + role.wireName() + "'");
            return problem;
        }

        @Override
        public synchronized Throwable fillInStackTrace() {
            return this;
        }
    }
}
