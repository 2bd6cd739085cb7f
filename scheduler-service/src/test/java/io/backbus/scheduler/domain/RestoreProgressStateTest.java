package io.backbus.scheduler.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbus.contracts.RestoreStage;
import org.junit.jupiter.api.Test;

class RestoreProgressStateTest {

    @Test
    void aStageSupersedesTheStagesARestoreRunsBeforeIt() {
        assertThat(RestoreProgressState.stagesBefore(RestoreStage.INTEGRITY)).isEmpty();
        assertThat(RestoreProgressState.stagesBefore(RestoreStage.TRANSFER)).containsExactly(RestoreStage.INTEGRITY);
        assertThat(RestoreProgressState.stagesBefore(RestoreStage.RESTORE))
                .containsExactly(RestoreStage.INTEGRITY, RestoreStage.TRANSFER);
    }

    @Test
    void aStageThatReportsNoProgressSupersedesNone() {
        assertThat(RestoreProgressState.stagesBefore(RestoreStage.VERIFY)).isEmpty();
    }
}
