package io.backbus.retention;

import io.backbus.contracts.ServiceTopics;
import io.backbus.testsupport.BusTopicUsage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The topics this service's code produces and consumes are the ones its Kafka ACLs are derived from. */
class BusTopicsDeclaredTest {

    @Test
    void listenersAndPublishCallsMatchServiceTopics() {
        BusTopicUsage.assertDeclared(ServiceTopics.RETENTION, Path.of("target", "classes"));
    }
}
