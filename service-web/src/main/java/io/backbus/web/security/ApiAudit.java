package io.backbus.web.security;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The audit trail of what callers changed: one line on logger {@code backbus.audit} per restore, replay, plan
 * change, run-now and catalog rebuild, as {@code principal=<name> action=<action> <what>}. The principal is a
 * token's name or a JWT's principal claim, never a token; what follows must never hold a secret either.
 */
public final class ApiAudit {

    /** The logger name, for routing the audit trail to its own appender. */
    public static final String LOGGER = "backbus.audit";
    private static final Logger AUDIT = LoggerFactory.getLogger(LOGGER);

    private ApiAudit() {
    }

    private static String clean(String s) {
        return s == null ? "" : s.replaceAll("\\p{Cntrl}", "?");
    }

    /** Logs that the current caller did {@code action} ({@code restore.requested}); {@code what} describes it. */
    public static void log(String action, String what) {
        // names in requests are the caller's: no line breaks into the audit trail
        AUDIT.info("principal={} action={} {}", clean(ApiAccess.principal()), action, clean(what));
    }
}
