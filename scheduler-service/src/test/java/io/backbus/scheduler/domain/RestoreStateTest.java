package io.backbus.scheduler.domain;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RestoreStateTest {

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @CsvSource({
            "PENDING,   REQUESTED, true",
            "PENDING,   FAILED,    true",   // no backup to test, catalog down
            "PENDING,   READY,     false",
            "PENDING,   VERIFIED,  false",
            "REQUESTED, READY,     true",
            "REQUESTED, VERIFIED,  true",   // RestoreCompleted overtook RestoreArtifactReady (different topics)
            "REQUESTED, FAILED,    true",
            "REQUESTED, REQUESTED, false",
            "READY,     VERIFIED,  true",
            "READY,     FAILED,    true",
            "READY,     READY,     false",
            "READY,     REQUESTED, false",
            "VERIFIED,  READY,     false",  // a late RestoreArtifactReady
            "VERIFIED,  FAILED,    false",
            "VERIFIED,  VERIFIED,  false",
            "FAILED,    READY,     false",
            "FAILED,    VERIFIED,  false",  // a finished restore never moves again
            "FAILED,    FAILED,    false",
    })
    void movesOnlyForwardAndNeverOutOfAFinishedState(RestoreState from, RestoreState to, boolean allowed) {
        assertThat(from.canMoveTo(to)).isEqualTo(allowed);
        assertThat(from.finished()).isEqualTo(from == RestoreState.VERIFIED || from == RestoreState.FAILED);
    }
}
