package io.backbus.delivery;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * JSON bodies of contract events. Unknown fields are ignored so producers can add fields (additive changes);
 * dates are RFC 3339 strings.
 */
public final class EventCodec {

    private final JsonMapper mapper = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    public byte[] encode(Object event) {
        return mapper.writeValueAsBytes(event);
    }

    public <T> T decode(byte[] body, Class<T> type) {
        if (body == null || body.length == 0) {
            throw new MalformedEventException("empty event body");
        }
        try {
            return mapper.readValue(body, type);
        } catch (JacksonException e) {
            throw new MalformedEventException("unparsable " + type.getSimpleName() + " body: " + e.getOriginalMessage(), e);
        }
    }
}
