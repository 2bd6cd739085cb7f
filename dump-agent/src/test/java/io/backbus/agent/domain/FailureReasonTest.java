package io.backbus.agent.domain;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class FailureReasonTest {

    private static final String AUTH = "pg_dump: error: connection to server at \"127.0.0.1\", port 5433 failed: "
            + "FATAL:  password authentication failed for user \"backup\"";

    @Test
    void keepsPgDumpsOwnMessageTrimmed() {
        assertThat(FailureReason.ofPgDump("\n" + AUTH + "\n\n", 1, List.of("s3cret"))).isEqualTo(AUTH);
    }

    @Test
    void namesTheExitStatusWhenPgDumpSaidNothing() {
        assertThat(FailureReason.ofPgDump("  ", 137, List.of())).isEqualTo("pg_dump exited with status 137 and no message");
    }

    @Test
    void masksEveryOccurrenceOfASecret() {
        String reason = FailureReason.ofPgDump("pg_dump: error: bad option s3cret=x (s3cret)", 1,
                List.of("s3cret", "", "unused"));

        assertThat(reason).isEqualTo("pg_dump: error: bad option ****=x (****)").doesNotContain("s3cret");
    }

    @Test
    void boundsVeryLongReasons() {
        assertThat(FailureReason.scrub("x".repeat(10_000), List.of())).hasSize(FailureReason.MAX_LENGTH);
    }

    @Test
    void classifiesAuthenticationAndMissingDatabaseAsPermanentAndConnectionTroubleAsRetryable() {
        assertThat(FailureReason.isRetryable(AUTH)).isFalse();
        assertThat(FailureReason.isRetryable("pg_dump: error: connection to server at \"127.0.0.1\", port 5432 "
                + "failed: FATAL:  database \"nope\" does not exist")).isFalse();
        assertThat(FailureReason.isRetryable("pg_dump: error: connection to server at \"127.0.0.1\", port 1 failed: "
                + "Connection refused\n\tIs the server running on that host and accepting TCP/IP connections?"))
                .isTrue();
        assertThat(FailureReason.isRetryable("pg_dump: error: connection to server at \"10.0.0.1\", port 5432 "
                + "failed: timeout expired")).isTrue();
    }
}
