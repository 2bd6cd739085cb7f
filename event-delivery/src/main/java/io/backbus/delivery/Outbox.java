package io.backbus.delivery;

import java.sql.Timestamp;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;

/**
 * Records events to publish in the caller's transaction, so that a state change and the events it causes are
 * committed together or not at all. {@link OutboxRelay} sends them after commit.
 */
public class Outbox {

    private final JdbcClient jdbc;
    private final EventCodec codec;
    private final Clock clock;
    private final Runnable afterCommit;

    public Outbox(JdbcClient jdbc, EventCodec codec, Clock clock, Runnable afterCommit) {
        this.jdbc = jdbc;
        this.codec = codec;
        this.clock = clock;
        this.afterCommit = afterCommit;
    }

    /**
     * Adds an event to the current transaction's outbox.
     *
     * @param topic   the contract topic
     * @param key     the record key (the target name)
     * @param type    the {@code ce_type}
     * @param subject the {@code ce_subject} (the run id)
     * @param event   the event record
     * @return the event's {@code ce_id}
     */
    public UUID publish(String topic, String key, String type, String subject, Object event) {
        if (!TransactionSynchronizationManager.isActualTransactionActive()) {
            throw new IllegalStateException("Outbox.publish needs the transaction of the state change it belongs to");
        }
        UUID id = UUID.randomUUID();
        jdbc.sql("""
                insert into outbox_event (id, topic, record_key, ce_type, ce_subject, ce_time, payload)
                values (?, ?, ?, ?, ?, ?, ?)""")
                .params(id, topic, key, type, subject, Timestamp.from(Instant.now(clock)), codec.encode(event))
                .update();
        wakeRelayAfterCommit();
        return id;
    }

    private void wakeRelayAfterCommit() {
        TransactionSynchronizationManager.registerSynchronization(new TransactionSynchronization() {
            @Override
            public void afterCommit() {
                afterCommit.run();
            }
        });
    }
}
