package io.backbus.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.backbus.contracts.ContractEvent;
import io.backbus.testsupport.ContractAssertions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Every contract event's body is checked against its schema before decoding, naming the field that is wrong. */
class EventSchemasTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final EventCodec codec = new EventCodec();

    @ParameterizedTest
    @EnumSource(ContractEvent.class)
    void theSampleDecodes(ContractEvent event) {
        assertThat(codec.decode(sample(event).getBytes(StandardCharsets.UTF_8), event.recordType()))
                .isInstanceOf(event.recordType());
    }

    /** Each required field of each schema, once left out and once of the wrong type. */
    static Stream<MalformedVariant> malformedVariants() {
        List<MalformedVariant> variants = new ArrayList<>();
        for (ContractEvent event : ContractEvent.values()) {
            String name = event.recordType().getSimpleName();
            for (JsonNode required : schema(event).get("required")) {
                String field = required.asText();
                ObjectNode missing = sampleTree(event);
                missing.remove(field);
                variants.add(new MalformedVariant(event, "without " + field, missing.toString(),
                        name + ": $: required property '" + field + "' not found"));
                ObjectNode wrongType = sampleTree(event);
                JsonNode value = wrongType.get(field);
                if (value.isTextual()) {
                    wrongType.put(field, 42);
                } else {
                    wrongType.put(field, "not-a-" + value.getNodeType().name().toLowerCase());
                }
                variants.add(new MalformedVariant(event, field + " of the wrong type", wrongType.toString(),
                        name + ": $." + field + ": "));
            }
            variants.add(new MalformedVariant(event, "not JSON", "{not json", "unparsable " + name + " body: "));
            variants.add(new MalformedVariant(event, "not an object", "[]", name + ": $: array found, object expected"));
        }
        return variants.stream();
    }

    @ParameterizedTest
    @MethodSource("malformedVariants")
    void aMalformedBodyIsRejectedBeforeDecodingNamingTheField(MalformedVariant variant) {
        assertThatThrownBy(() -> codec.decode(variant.body().getBytes(StandardCharsets.UTF_8),
                variant.event().recordType()))
                .isInstanceOf(MalformedEventException.class)
                .hasMessageStartingWith(variant.reason());
    }

    @Test
    void namesTheFieldAndTheRuleItBreaks() {
        ObjectNode failed = sampleTree(ContractEvent.BACKUP_FAILED).put("stage", "LUNCH");
        assertThatThrownBy(() -> codec.decode(failed.toString().getBytes(StandardCharsets.UTF_8),
                ContractEvent.BACKUP_FAILED.recordType()))
                .hasMessage("BackupFailed: $.stage: does not have a value in the enumeration "
                        + "[\"SCHEDULE\", \"DUMP\", \"TRANSFER\", \"ENCRYPT\", \"UPLOAD\", \"VERIFY\"]");
    }

    @Test
    void formatsAreAsserted() {
        ObjectNode badTime = sampleTree(ContractEvent.BACKUP_FAILED).put("failedAt", "yesterday");
        assertThatThrownBy(() -> codec.decode(badTime.toString().getBytes(StandardCharsets.UTF_8),
                ContractEvent.BACKUP_FAILED.recordType()))
                .hasMessageStartingWith("BackupFailed: $.failedAt: ");
    }

    @Test
    void anEmptyBodyIsMalformed() {
        assertThatThrownBy(() -> codec.decode(new byte[0], ContractEvent.BACKUP_FAILED.recordType()))
                .isInstanceOf(MalformedEventException.class).hasMessage("empty event body");
    }

    @Test
    void aTypeOutsideTheContractIsDecodedWithoutASchema() {
        record Internal(String note) {
        }
        assertThatCode(() -> codec.decode("{\"note\":\"x\"}".getBytes(StandardCharsets.UTF_8), Internal.class))
                .doesNotThrowAnyException();
    }

    record MalformedVariant(ContractEvent event, String what, String body, String reason) {
        @Override
        public String toString() {
            return event + " " + what;
        }
    }

    private static String sample(ContractEvent event) {
        return ContractAssertions.resource(event.sampleResource());
    }

    private static ObjectNode sampleTree(ContractEvent event) {
        try {
            return (ObjectNode) JSON.readTree(sample(event));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode schema(ContractEvent event) {
        try {
            return JSON.readTree(ContractAssertions.resource(event.schemaResource()));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
