package io.backbus.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.json.JsonMapper;

/** Every sample is valid against its schema and round-trips through its record without losing a field. */
class ContractSamplesTest {

    private static final JsonMapper RECORDS = JsonMapper.builder().build();
    private static final ObjectMapper TREES = new ObjectMapper();

    static Stream<Arguments> events() {
        return Stream.of(
                Arguments.of("backup-requested.v1", BackupRequested.class, EventTypes.BACKUP_REQUESTED, Topics.BACKUP_REQUESTED),
                Arguments.of("artifact-ready.v1", ArtifactReady.class, EventTypes.ARTIFACT_READY, Topics.ARTIFACT_READY),
                Arguments.of("artifact-streaming.v1", ArtifactStreaming.class, EventTypes.ARTIFACT_STREAMING, Topics.ARTIFACT_STREAMING),
                Arguments.of("backup-stored.v1", Stored.class, EventTypes.BACKUP_STORED, Topics.BACKUP_STORED),
                Arguments.of("backup-failed.v1", BackupFailed.class, EventTypes.BACKUP_FAILED, Topics.BACKUP_FAILED),
                Arguments.of("backup-progress.v1", BackupProgress.class, EventTypes.BACKUP_PROGRESS, Topics.BACKUP_PROGRESS),
                Arguments.of("agent-announced.v1", AgentAnnounced.class, EventTypes.AGENT_ANNOUNCED, Topics.AGENT_ANNOUNCED),
                Arguments.of("restore-requested.v1", RestoreRequested.class, EventTypes.RESTORE_REQUESTED, Topics.RESTORE_REQUESTED),
                Arguments.of("restore-artifact-ready.v1", RestoreArtifactReady.class, EventTypes.RESTORE_ARTIFACT_READY, Topics.RESTORE_ARTIFACT_READY),
                Arguments.of("restore-completed.v1", RestoreCompleted.class, EventTypes.RESTORE_COMPLETED, Topics.RESTORE_COMPLETED),
                Arguments.of("restore-failed.v1", RestoreFailed.class, EventTypes.RESTORE_FAILED, Topics.RESTORE_FAILED),
                Arguments.of("restore-verified.v1", RestoreVerified.class, EventTypes.RESTORE_VERIFIED, Topics.RESTORE_VERIFIED),
                Arguments.of("restore-test-failed.v1", RestoreTestFailed.class, EventTypes.RESTORE_TEST_FAILED, Topics.RESTORE_TEST_FAILED),
                Arguments.of("restore-progress.v1", RestoreProgress.class, EventTypes.RESTORE_PROGRESS, Topics.RESTORE_PROGRESS));
    }

    @ParameterizedTest
    @MethodSource("events")
    void sampleIsValidAgainstItsSchema(String name, Class<?> type, String ceType, String topic) throws IOException {
        var errors = schema(name).validate(TREES.readTree(resource("samples/" + name + ".json")));
        assertThat(errors).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("events")
    void sampleRoundTripsThroughTheRecordLosslessly(String name, Class<?> type, String ceType, String topic)
            throws IOException {
        String sample = resource("samples/" + name + ".json");
        Object event = RECORDS.readValue(sample, type);
        String written = RECORDS.writeValueAsString(event);

        assertThat(TREES.readTree(written)).isEqualTo(TREES.readTree(sample));
        assertThat(schema(name).validate(TREES.readTree(written))).isEmpty();
    }

    @ParameterizedTest
    @MethodSource("events")
    void wireNamesAreLogicalAndVersioned(String name, Class<?> type, String ceType, String topic) {
        assertThat(ceType).startsWith(topic.replace("backbus.backup.", "backbus.backup."))
                .matches("backbus\\.[a-z.-]+\\.v\\d+")
                .doesNotContain(type.getName());
        assertThat(Topics.ALL).contains(topic);
        assertThat(schemaText(name)).contains(ceType).contains(topic);
    }

    @Test
    void schemaRejectsAnEventMissingARequiredField() throws IOException {
        var incomplete = TREES.readTree("{\"runId\":\"3f1c2a9e-6b7d-4c1e-9a2b-5d8e7f6a1b2c\",\"target\":\"orders\"}");
        assertThat(schema("backup-failed.v1").validate(incomplete))
                .extracting(Object::toString)
                .anySatisfy(message -> assertThat(message).contains("stage"));
    }

    @Test
    void deadLetterTopicNamesTheTopicAndTheGroup() {
        assertThat(Topics.deadLetter(Topics.BACKUP_STORED, "retention-service"))
                .isEqualTo("backbus.backup.stored.retention-service.dlq");
    }

    private static JsonSchema schema(String name) {
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schemaText(name));
    }

    private static String schemaText(String name) {
        return resource("schemas/" + name + ".schema.json");
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
