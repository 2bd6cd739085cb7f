package io.backbus.delivery;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.backbus.contracts.ContractEvent;
import java.io.IOException;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The contract's JSON Schemas ({@link ContractEvent#schemaResource()}), each compiled once, checking event bodies
 * before anything decodes them: a body that violates its schema is malformed, with the schema's messages (each
 * naming the JSON pointer of the field) as the reason. Thread-safe.
 */
public final class EventSchemas {

    private static final ObjectMapper TREES = new ObjectMapper();

    private final Map<ContractEvent, JsonSchema> schemas = new EnumMap<>(ContractEvent.class);

    /** The schemas compiled once per process, shared by every {@link EventCodec}. */
    public static EventSchemas contract() {
        return Compiled.SCHEMAS;
    }

    /** Compiles every schema of the contract from the classpath. */
    public EventSchemas() {
        // formats (uuid, date-time) are annotations only in draft 2020-12 unless asserted; fields named $.a.b
        SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true)
                .pathType(PathType.JSON_PATH).build();
        JsonSchemaFactory factory = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
        for (ContractEvent event : ContractEvent.values()) {
            JsonSchema schema = factory.getSchema(SchemaLocation.of("classpath:" + event.schemaResource()), config);
            schema.initializeValidators(); // compile now, not on the first record
            schemas.put(event, schema);
        }
    }

    /**
     * Fails as malformed unless {@code body} is JSON valid against the schema of {@code event}.
     *
     * @throws MalformedEventException e.g. {@code BackupFailed: $.stage: does not have a value in the enumeration
     *                                 [...]}
     */
    public void requireValid(ContractEvent event, byte[] body) {
        String name = event.recordType().getSimpleName();
        if (body == null || body.length == 0) {
            throw new MalformedEventException("empty event body");
        }
        JsonNode tree;
        try {
            tree = TREES.readTree(body);
        } catch (JacksonException e) {
            throw new MalformedEventException("unparsable " + name + " body: " + e.getOriginalMessage(), e);
        } catch (IOException e) { // only JacksonException is possible reading bytes
            throw new MalformedEventException("unparsable " + name + " body: " + e.getMessage(), e);
        }
        Set<ValidationMessage> errors = schemas.get(event).validate(tree);
        if (!errors.isEmpty()) {
            throw new MalformedEventException(name + ": " + errors.stream().map(ValidationMessage::getMessage)
                    .collect(Collectors.joining("; ")));
        }
    }

    private static final class Compiled {
        static final EventSchemas SCHEMAS = new EventSchemas();
    }
}
