package io.backbus.scheduler.domain;

import static io.backbus.scheduler.domain.RunState.DUMPED;
import static io.backbus.scheduler.domain.RunState.FAILED;
import static io.backbus.scheduler.domain.RunState.REQUESTED;
import static io.backbus.scheduler.domain.RunState.STORED;
import static io.backbus.scheduler.domain.RunState.VERIFIED;
import static org.assertj.core.api.Assertions.assertThat;

import io.backbus.contracts.FailureStage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RunStateTest {

    @ParameterizedTest(name = "{0} -> {1}: {2}")
    @CsvSource({
            "REQUESTED, REQUESTED, false",
            "REQUESTED, DUMPED,    true",
            "REQUESTED, STORED,    true",   // Stored overtook ArtifactReady (different topics)
            "REQUESTED, FAILED,    true",
            "DUMPED,    REQUESTED, false",
            "DUMPED,    DUMPED,    false",
            "DUMPED,    STORED,    true",
            "DUMPED,    FAILED,    true",
            "STORED,    REQUESTED, false",
            "STORED,    DUMPED,    false",  // a late ArtifactReady
            "STORED,    STORED,    false",
            "STORED,    FAILED,    false",
            "STORED,    VERIFIED,  true",   // a restore test of its backup passed
            "REQUESTED, VERIFIED,  false",
            "DUMPED,    VERIFIED,  false",
            "VERIFIED,  REQUESTED, false",
            "VERIFIED,  DUMPED,    false",
            "VERIFIED,  STORED,    false",  // a late Stored
            "VERIFIED,  VERIFIED,  false",
            "VERIFIED,  FAILED,    false",
            "FAILED,    REQUESTED, false",
            "FAILED,    DUMPED,    false",
            "FAILED,    FAILED,    false",
            "FAILED,    VERIFIED,  false",
    })
    void movesOnlyForward(RunState from, RunState to, boolean allowed) {
        assertThat(from.canMoveTo(to, from == FAILED ? FailureStage.DUMP : null)).isEqualTo(allowed);
    }

    @Test
    void aFailureReportedByAStageIsFinal() {
        for (FailureStage stage : FailureStage.values()) {
            if (stage != FailureStage.SCHEDULE) {
                assertThat(FAILED.canMoveTo(STORED, stage)).as(stage.name()).isFalse();
            }
        }
    }

    @Test
    void aRunTheSchedulerGaveUpOnAsStalledBecomesStoredWhenItsBackupArrives() {
        assertThat(FAILED.canMoveTo(STORED, FailureStage.SCHEDULE)).isTrue();
        assertThat(FAILED.canMoveTo(DUMPED, FailureStage.SCHEDULE)).isFalse();
        assertThat(FAILED.canMoveTo(VERIFIED, FailureStage.SCHEDULE)).isFalse();
    }

    @Test
    void onlyRequestedAndDumpedAreInFlight() {
        assertThat(REQUESTED.inFlight()).isTrue();
        assertThat(DUMPED.inFlight()).isTrue();
        assertThat(STORED.inFlight()).isFalse();
        assertThat(FAILED.inFlight()).isFalse();
        assertThat(VERIFIED.inFlight()).isFalse();
    }
}
