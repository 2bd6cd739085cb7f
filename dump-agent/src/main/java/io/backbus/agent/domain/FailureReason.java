package io.backbus.agent.domain;

import java.util.Collection;
import java.util.List;
import java.util.Locale;

/** Turns what pg_dump said into a {@code BackupFailed} reason an operator can act on, free of secrets. */
public final class FailureReason {

    static final String MASK = "****";
    public static final int MAX_LENGTH = 2000;

    /** Permanent failures: retrying the same run cannot help until someone changes something. */
    private static final List<String> PERMANENT = List.of(
            "password authentication failed",
            "no password supplied",
            "authentication failed",
            "no pg_hba.conf entry",
            "does not exist",
            "permission denied",
            "server version mismatch");

    private FailureReason() {
    }

    /** The reason for a pg_dump that exited with {@code exitCode}: its own stderr, trimmed and scrubbed. */
    public static String ofPgDump(String stderr, int exitCode, Collection<String> secrets) {
        String text = stderr == null ? "" : stderr.strip();
        if (text.isEmpty()) {
            text = "pg_dump exited with status " + exitCode + " and no message";
        }
        return scrub(text, secrets);
    }

    /** Whether a pg_dump failure with this message may succeed if retried (connection trouble: yes). */
    public static boolean isRetryable(String message) {
        String m = message.toLowerCase(Locale.ROOT);
        return PERMANENT.stream().noneMatch(m::contains);
    }

    /**
     * Replaces every occurrence of a secret with {@value #MASK} and bounds the length — defence in depth: pg_dump
     * does not print passwords, but a reason leaves the host in an event.
     */
    public static String scrub(String text, Collection<String> secrets) {
        String result = text;
        if (secrets != null) {
            for (String secret : secrets) {
                if (secret != null && !secret.isEmpty()) {
                    result = result.replace(secret, MASK);
                }
            }
        }
        if (result.length() > MAX_LENGTH) {
            result = result.substring(0, MAX_LENGTH - 1) + "…";
        }
        return result;
    }
}
