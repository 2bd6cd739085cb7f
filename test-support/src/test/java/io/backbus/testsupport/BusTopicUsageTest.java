package io.backbus.testsupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.backbus.contracts.ServiceTopics;
import io.backbus.contracts.Topics;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class BusTopicUsageTest {

    private static final Path FIXTURES = Path.of("target", "test-classes", "io", "backbus", "testsupport", "bususage");

    @Test
    void findsListenerTopicsAndFlagsASendWhoseTopicIsNoContractConstant() {
        BusTopicUsage usage = BusTopicUsage.scan(FIXTURES);

        assertThat(usage.consumes()).containsExactlyInAnyOrder(Topics.BACKUP_STORED, Topics.RESTORE_VERIFIED);
        assertThat(usage.produces()).isEmpty();
        assertThat(usage.unresolved()).containsExactly("io/backbus/testsupport/bususage/StoredFixtureListener#sendAround");
    }

    @Test
    void aDeclarationThatDriftedFromTheCodeFails() {
        var declared = new ServiceTopics("fixture", "fixture", List.of(), List.of(Topics.BACKUP_STORED));

        assertThatThrownBy(() -> BusTopicUsage.assertDeclared(declared, FIXTURES)).isInstanceOf(AssertionError.class);
    }
}
