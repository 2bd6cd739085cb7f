package io.backbus.delivery;

import io.backbus.contracts.ContractEvent;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON bodies of contract events. Unknown fields are ignored so producers can add fields (additive changes);
 * dates are RFC 3339 strings. A contract record ({@link ContractEvent#ofRecord}) is only decoded from a body valid
 * against its JSON Schema ({@link EventSchemas}).
 */
public final class EventCodec {

    private final JsonMapper mapper = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    private final EventSchemas schemas;

    /** A codec validating against the contract's schemas, compiled once per process. */
    public EventCodec() {
        this(EventSchemas.contract());
    }

    public EventCodec(EventSchemas schemas) {
        this.schemas = schemas;
    }

    public byte[] encode(Object event) {
        return mapper.writeValueAsBytes(event);
    }

    /** @throws MalformedEventException if the body is empty, not JSON, invalid against its schema or unreadable */
    public <T> T decode(byte[] body, Class<T> type) {
        if (body == null || body.length == 0) {
            throw new MalformedEventException("empty event body");
        }
        ContractEvent.ofRecord(type).ifPresent(event -> schemas.requireValid(event, body));
        try {
            return mapper.readValue(body, type);
        } catch (JacksonException e) {
            throw new MalformedEventException("unparsable " + type.getSimpleName() + " body: " + e.getOriginalMessage(), e);
        }
    }
}
