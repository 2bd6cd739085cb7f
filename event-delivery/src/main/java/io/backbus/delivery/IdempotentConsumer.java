package io.backbus.delivery;

import io.backbus.contracts.CloudEventHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.UUID;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Turns a Kafka record into a typed {@link IncomingEvent} and runs the handler exactly once per event id: the
 * {@code processed_event} row and the handler's state change commit in one transaction. A record whose headers are
 * wrong or whose body violates its contract schema ({@link EventSchemas}) raises {@link MalformedEventException}
 * before any handler runs (dead-lettered without retries); a handler failure rolls everything back so the record
 * is retried, then dead-lettered.
 */
public class IdempotentConsumer {

    private static final Logger log = LoggerFactory.getLogger(IdempotentConsumer.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate tx;
    private final EventCodec codec;
    private final String consumerGroup;

    public IdempotentConsumer(JdbcClient jdbc, TransactionTemplate tx, EventCodec codec, String consumerGroup) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.codec = codec;
        this.consumerGroup = consumerGroup;
    }

    /**
     * Decodes the record as {@code type} (which must be its {@code ce_type}) and hands it to the handler inside a
     * transaction, unless this consumer group already processed its event id.
     *
     * @return true if the handler ran, false if the event was a duplicate
     */
    public <T> boolean handle(ConsumerRecord<String, byte[]> record, String expectedType, Class<T> type,
            Consumer<IncomingEvent<T>> handler) {
        IncomingEvent<T> event = decode(record, expectedType, type);
        Boolean ran = tx.execute(status -> {
            if (!markProcessed(event)) {
                log.info("Skipping {} {}: already processed by {}", event.type(), event.id(), consumerGroup);
                return false;
            }
            handler.accept(event);
            return true;
        });
        return Boolean.TRUE.equals(ran);
    }

    /**
     * For consumers whose work takes minutes or hours (a dump, an upload, a restore): decodes the record, skips it if
     * this consumer group already processed its event id, runs {@code work} outside any transaction — so no database
     * connection is pinned and vacuum is not blocked for the length of the work — and then, in one short
     * transaction, records the event id and hands the work's outcome to {@code recordOutcome} (which writes the state
     * change and its outbox events). A crash during the work leaves nothing recorded: the redelivered event does the
     * work again, so the work must be safe to repeat. If another delivery recorded the same event id meanwhile, the
     * outcome is dropped and false returned.
     *
     * @return true if the outcome was recorded, false if the event was a duplicate
     */
    public <T, R> boolean handleLongRunning(ConsumerRecord<String, byte[]> record, String expectedType, Class<T> type,
            Function<IncomingEvent<T>, R> work, BiConsumer<IncomingEvent<T>, R> recordOutcome) {
        IncomingEvent<T> event = decode(record, expectedType, type);
        if (alreadyProcessed(event)) {
            log.info("Skipping {} {}: already processed by {}", event.type(), event.id(), consumerGroup);
            return false;
        }
        R outcome = work.apply(event);
        Boolean recorded = tx.execute(status -> {
            if (!markProcessed(event)) {
                log.info("Dropping the outcome of {} {}: recorded meanwhile by {}", event.type(), event.id(),
                        consumerGroup);
                return false;
            }
            recordOutcome.accept(event, outcome);
            return true;
        });
        return Boolean.TRUE.equals(recorded);
    }

    /**
     * Whether this consumer group already processed the event, for handlers that do slow work (a transfer) before
     * the transaction of {@link #handle} and want to skip it for a redelivered event. {@link #handle} still decides.
     */
    public boolean alreadyProcessed(IncomingEvent<?> event) {
        return jdbc.sql("select count(*) from processed_event where consumer_group = ? and event_id = ?")
                .params(consumerGroup, event.id()).query(Long.class).single() > 0;
    }

    /** Records the event id in the current transaction; false if this consumer group had it already. */
    private boolean markProcessed(IncomingEvent<?> event) {
        return jdbc.sql("""
                insert into processed_event (consumer_group, event_id, event_type) values (?, ?, ?)
                on conflict do nothing""")
                .params(consumerGroup, event.id(), event.type())
                .update() > 0;
    }

    /** Reads the CloudEvents attributes and the body, validated against its schema, or fails as malformed. */
    public <T> IncomingEvent<T> decode(ConsumerRecord<String, byte[]> record, String expectedType, Class<T> type) {
        String ceType = header(record, CloudEventHeaders.TYPE);
        if (!expectedType.equals(ceType)) {
            throw new MalformedEventException("unexpected ce_type '" + ceType + "' on " + record.topic()
                    + ", expected '" + expectedType + "'");
        }
        UUID id;
        try {
            id = UUID.fromString(header(record, CloudEventHeaders.ID));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new MalformedEventException("ce_id is missing or not a UUID on " + record.topic());
        }
        Instant time = null;
        String ceTime = header(record, CloudEventHeaders.TIME);
        if (ceTime != null) {
            try {
                time = Instant.parse(ceTime);
            } catch (DateTimeParseException e) {
                throw new MalformedEventException("ce_time is not an RFC 3339 time: " + ceTime);
            }
        }
        T body = codec.decode(record.value(), type);
        return new IncomingEvent<>(id, ceType, header(record, CloudEventHeaders.SOURCE),
                header(record, CloudEventHeaders.SUBJECT), time, record.key(), body);
    }

    private static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }
}
