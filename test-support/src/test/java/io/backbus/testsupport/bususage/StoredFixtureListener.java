package io.backbus.testsupport.bususage;

import io.backbus.contracts.Topics;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.kafka.core.KafkaTemplate;

/** Scanned by BusTopicUsageTest: one listener and one raw send whose topic the scan cannot check. */
class StoredFixtureListener {

    @KafkaListener(topics = {Topics.BACKUP_STORED, Topics.RESTORE_VERIFIED})
    void onStored(String value) {
    }

    void sendAround(KafkaTemplate<String, String> kafka, String topic) {
        kafka.send(topic, "k", "v");
    }
}
