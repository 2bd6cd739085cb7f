package io.backbus.delivery;

import java.time.Instant;
import java.util.UUID;

/**
 * A consumed contract event: its CloudEvents attributes and decoded body, valid against its schema.
 *
 * @param id      {@code ce_id}
 * @param type    {@code ce_type}
 * @param source  {@code ce_source}
 * @param subject {@code ce_subject}
 * @param time    {@code ce_time}
 * @param key     the record key
 * @param body    the decoded event
 * @param <T>     the event record type
 */
public record IncomingEvent<T>(UUID id, String type, String source, String subject, Instant time, String key, T body) {
}
