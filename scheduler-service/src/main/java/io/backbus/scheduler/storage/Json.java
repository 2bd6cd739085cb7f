package io.backbus.scheduler.storage;

import io.backbus.contracts.SmokeQuery;
import java.util.List;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** jsonb columns to and from records; unknown fields are ignored so columns may gain fields. */
final class Json {

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    private static final TypeReference<List<SmokeQuery>> SMOKE_QUERIES = new TypeReference<>() {
    };

    static String write(Object value) {
        return value == null ? null : MAPPER.writeValueAsString(value);
    }

    static <T> T read(String json, Class<T> type) {
        return json == null ? null : MAPPER.readValue(json, type);
    }

    static List<SmokeQuery> smokeQueries(String json) {
        return json == null ? List.of() : MAPPER.readValue(json, SMOKE_QUERIES);
    }

    private Json() {
    }
}
