package io.backbus.uploader.storage;

import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Reads the idempotent inbox ({@code processed_event}, owned by event-delivery) before the long transfer, so a
 * redelivered event is not pulled and uploaded again only to be skipped at commit.
 */
public class ProcessedEvents {

    private final JdbcClient jdbc;
    private final String consumerGroup;

    public ProcessedEvents(JdbcClient jdbc, String consumerGroup) {
        this.jdbc = jdbc;
        this.consumerGroup = consumerGroup;
    }

    public boolean contains(UUID eventId) {
        return jdbc.sql("select exists (select 1 from processed_event where consumer_group = ? and event_id = ?)")
                .params(consumerGroup, eventId)
                .query(Boolean.class).single();
    }
}
