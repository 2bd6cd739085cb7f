package io.backbus.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

/** Every sample is valid against its schema and round-trips through its record without losing a field. */
class ContractSamplesTest {

    private static final JsonMapper RECORDS = JsonMapper.builder().build();
    private static final ObjectMapper TREES = new ObjectMapper();

    @ParameterizedTest
    @EnumSource(ContractEvent.class)
    void sampleIsValidAgainstItsSchema(ContractEvent event) throws IOException {
        var errors = schema(event).validate(TREES.readTree(resource(event.sampleResource())));
        assertThat(errors).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(ContractEvent.class)
    void sampleRoundTripsThroughTheRecordLosslessly(ContractEvent contract) throws IOException {
        String sample = resource(contract.sampleResource());
        Object event = RECORDS.readValue(sample, contract.recordType());
        String written = RECORDS.writeValueAsString(event);

        assertThat(TREES.readTree(written)).isEqualTo(TREES.readTree(sample));
        assertThat(schema(contract).validate(TREES.readTree(written))).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(ContractEvent.class)
    void wireNamesAreLogicalAndVersioned(ContractEvent event) {
        assertThat(event.type()).startsWith(event.topic())
                .matches("backbus\\.[a-z.-]+\\.v\\d+")
                .doesNotContain(event.recordType().getName());
        assertThat(Topics.ALL).contains(event.topic());
        assertThat(resource(event.schemaResource())).contains(event.type()).contains(event.topic());
        assertThat(ContractEvent.ofType(event.type())).contains(event);
        assertThat(ContractEvent.ofRecord(event.recordType())).contains(event);
    }

    @Test
    void everyTopicCarriesOneContractEvent() {
        assertThat(Arrays.stream(ContractEvent.values()).map(ContractEvent::topic))
                .containsExactlyInAnyOrderElementsOf(Topics.ALL);
        assertThat(ContractEvent.ofType("com.example.SomeJavaClass")).isEmpty();
    }

    @Test
    void schemaRejectsAnEventMissingARequiredField() throws IOException {
        var incomplete = TREES.readTree("{\"runId\":\"3f1c2a9e-6b7d-4c1e-9a2b-5d8e7f6a1b2c\",\"target\":\"orders\"}");
        assertThat(schema(ContractEvent.BACKUP_FAILED).validate(incomplete))
                .extracting(Object::toString)
                .anySatisfy(message -> assertThat(message).contains("stage"));
    }

    static Stream<Arguments> nonBlankFields() throws IOException {
        List<Arguments> fields = new ArrayList<>();
        for (ContractEvent event : ContractEvent.values()) {
            List<String> paths = new ArrayList<>();
            nonBlankFields(TREES.readTree(resource(event.schemaResource())), "", paths);
            paths.forEach(path -> fields.add(Arguments.of(event, path)));
        }
        return fields.stream();
    }

    /** Where a hand check once refused a blank name, the schema says it: a blank value is invalid. */
    @ParameterizedTest
    @MethodSource("nonBlankFields")
    void aBlankValueIsInvalidWhereTheSchemaAsksForANonBlankOne(ContractEvent event, String path)
            throws IOException {
        ObjectNode sample = (ObjectNode) TREES.readTree(resource(event.sampleResource()));
        ObjectNode parent = sample;
        String[] parts = path.split("\\.");
        for (int i = 0; i < parts.length - 1; i++) {
            parent = (ObjectNode) parent.get(parts[i]);
        }
        parent.put(parts[parts.length - 1], " \t ");
        assertThat(schema(event).validate(sample)).extracting(Object::toString)
                .singleElement().satisfies(message -> assertThat(message).contains(parts[parts.length - 1]));
    }

    @Test
    void aLiveArtifactIsServedOverHttpOnly() throws IOException {
        ObjectNode hint = (ObjectNode) TREES.readTree(resource(ContractEvent.ARTIFACT_STREAMING.sampleResource()));
        hint.put("location", "file:///staging/orders.dump");
        assertThat(schema(ContractEvent.ARTIFACT_STREAMING).validate(hint)).extracting(Object::toString)
                .singleElement().satisfies(message -> assertThat(message).contains("location"));
    }

    @Test
    void progressNamesOnlyTheStagesThatMoveBytes() throws IOException {
        ObjectNode backup = (ObjectNode) TREES.readTree(resource(ContractEvent.BACKUP_PROGRESS.sampleResource()));
        ObjectNode restore = (ObjectNode) TREES.readTree(resource(ContractEvent.RESTORE_PROGRESS.sampleResource()));
        assertThat(schema(ContractEvent.BACKUP_PROGRESS).validate(backup.put("stage", "VERIFY")))
                .extracting(Object::toString).singleElement().satisfies(m -> assertThat(m).contains("stage"));
        assertThat(schema(ContractEvent.RESTORE_PROGRESS).validate(restore.put("stage", "VERIFY")))
                .extracting(Object::toString).singleElement().satisfies(m -> assertThat(m).contains("stage"));
        assertThat(schema(ContractEvent.RESTORE_PROGRESS).validate(restore.put("stage", "TRANSFER")
                .put("totalBytes", -2))).extracting(Object::toString).singleElement()
                .satisfies(m -> assertThat(m).contains("totalBytes"));
    }

    private static void nonBlankFields(JsonNode schema, String prefix, List<String> into) {
        JsonNode properties = schema.get("properties");
        if (properties == null) {
            return;
        }
        properties.fields().forEachRemaining(field -> {
            JsonNode pattern = field.getValue().get("pattern");
            if (pattern != null && pattern.asText().equals("\\S")) {
                into.add(prefix + field.getKey());
            }
            nonBlankFields(field.getValue(), prefix + field.getKey() + ".", into);
        });
    }

    @Test
    void deadLetterTopicNamesTheTopicAndTheGroup() {
        assertThat(Topics.deadLetter(Topics.BACKUP_STORED, "retention-service"))
                .isEqualTo("backbus.backup.stored.retention-service.dlq");
    }

    private static JsonSchema schema(ContractEvent event) {
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(resource(event.schemaResource()));
    }

    private static String resource(String path) {
        try (InputStream in = ContractSamplesTest.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + path);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
