package io.backbus.notifier.messaging;

import static io.backbus.delivery.IncomingEvent.require;

import io.backbus.contracts.EventTypes;
import io.backbus.contracts.RestoreFailed;
import io.backbus.contracts.Topics;
import io.backbus.delivery.IdempotentConsumer;
import io.backbus.notifier.domain.RestoreAlerts;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.springframework.kafka.annotation.KafkaListener;
import org.springframework.stereotype.Component;

/** Raises an alert for every failed manual restore; failed restore tests are alerted from RestoreTestFailed. */
@Component
class RestoreFailedListener {

    private final IdempotentConsumer consumer;
    private final RestoreAlerts alerts;

    RestoreFailedListener(IdempotentConsumer consumer, RestoreAlerts alerts) {
        this.consumer = consumer;
        this.alerts = alerts;
    }

    @KafkaListener(topics = Topics.RESTORE_FAILED)
    void onRestoreFailed(ConsumerRecord<String, byte[]> record) {
        consumer.handle(record, EventTypes.RESTORE_FAILED, RestoreFailed.class,
                event -> alerts.raise(requireComplete(event.body())));
    }

    /**
     * The fields an alert needs, checked whatever the purpose (a malformed event is a dead letter, even one that
     * would not have raised an alert). A missing {@code destinationTouched} already fails decoding.
     */
    static RestoreFailed requireComplete(RestoreFailed failed) {
        require(failed.restoreId(), "restoreId");
        require(failed.purpose(), "purpose");
        require(failed.target(), "target");
        require(failed.stage(), "stage");
        require(failed.reason(), "reason");
        require(failed.failedAt(), "failedAt");
        return failed;
    }
}
