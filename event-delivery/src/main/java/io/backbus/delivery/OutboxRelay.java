package io.backbus.delivery;

import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sends committed outbox rows to Kafka as CloudEvents (binary mode), then deletes exactly the rows it sent. One
 * relay is active at a time across replicas (a transaction-scoped advisory lock). A batch goes out in {@code seq}
 * order, but {@code seq} is taken at insert, not at commit: a transaction holding a lower {@code seq} can commit
 * after a higher one was relayed, and is then sent in a later batch. Events of one key therefore keep their order
 * only as far as the transactions that write them are serialised (for instance by a lock on the row whose state they
 * change). A send that fails leaves the rows in place for the next round: at-least-once, which consumers
 * absorb by event id.
 */
public class OutboxRelay implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(OutboxRelay.class);
    private static final long RELAY_LOCK = 0x6261636b627573L; // "backbus"

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final KafkaTemplate<String, byte[]> kafka;
    private final DeliveryProperties properties;
    private final Semaphore wakeUp = new Semaphore(0);
    private volatile Thread worker;
    private volatile boolean running;

    public OutboxRelay(JdbcClient jdbc, TransactionTemplate tx, KafkaTemplate<String, byte[]> kafka,
            DeliveryProperties properties) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.kafka = kafka;
        this.properties = properties;
    }

    /** Asks the relay to look for new rows now rather than at its next interval. */
    public void wakeUp() {
        wakeUp.release();
    }

    /**
     * Relays one batch.
     *
     * @return how many events were sent
     */
    public int relayOnce() {
        Integer sent = tx.execute(status -> {
            Boolean locked = jdbc.sql("select pg_try_advisory_xact_lock(?)").param(RELAY_LOCK)
                    .query(Boolean.class).single();
            if (!Boolean.TRUE.equals(locked)) {
                return 0;
            }
            List<PendingEvent> batch = jdbc.sql("""
                    select seq, id, topic, record_key, ce_type, ce_subject, ce_time, payload
                    from outbox_event order by seq limit ?""")
                    .param(properties.relayBatch())
                    .query((rs, n) -> new PendingEvent(rs.getLong("seq"), rs.getObject("id", UUID.class),
                            rs.getString("topic"), rs.getString("record_key"), rs.getString("ce_type"),
                            rs.getString("ce_subject"), rs.getTimestamp("ce_time"), rs.getBytes("payload")))
                    .list();
            if (batch.isEmpty()) {
                return 0;
            }
            List<CompletableFuture<?>> sends = new ArrayList<>(batch.size());
            for (PendingEvent event : batch) {
                sends.add(kafka.send(toRecord(event)));
            }
            kafka.flush();
            try {
                CompletableFuture.allOf(sends.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while relaying the outbox", e);
            } catch (Exception e) {
                throw new IllegalStateException("could not send outbox events to Kafka: " + e.getMessage(), e);
            }
            // never "seq <= last": a lower seq committed while this batch was sent is not in it
            List<Long> relayed = batch.stream().map(PendingEvent::seq).toList();
            jdbc.sql("delete from outbox_event where seq in (:relayed)").param("relayed", relayed).update();
            return batch.size();
        });
        return sent == null ? 0 : sent;
    }

    private ProducerRecord<String, byte[]> toRecord(PendingEvent event) {
        return CloudEventRecords.of(event.topic(), event.key(), event.id(), event.type(), properties.source(),
                event.time().toInstant(), event.subject(), event.payload());
    }

    private void loop() {
        while (running) {
            try {
                while (running && relayOnce() > 0) {
                    // drain everything that is pending before waiting again
                }
                wakeUp.tryAcquire(properties.relayInterval().toMillis(), TimeUnit.MILLISECONDS);
                wakeUp.drainPermits();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                log.warn("Outbox relay round failed, will retry: {}", e.getMessage());
                sleepQuietly(properties.relayInterval().toMillis() * 4);
            }
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void start() {
        running = true;
        worker = new Thread(this::loop, "outbox-relay");
        worker.setDaemon(true);
        worker.start();
    }

    @Override
    public void stop() {
        running = false;
        Thread t = worker;
        if (t != null) {
            t.interrupt();
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    @Override
    public boolean isRunning() {
        return running;
    }

    private record PendingEvent(long seq, UUID id, String topic, String key, String type, String subject,
            Timestamp time, byte[] payload) {
    }
}
