package io.backbus.repository.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.backbus.contracts.Stored;
import io.backbus.testsupport.ContractAssertions;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** The manifest's sample is valid against its schema and round-trips through the record; what is written is valid. */
class ManifestFormatTest {

    private static final String SCHEMA = "manifests/backup-manifest.v1.schema.json";
    private static final String SAMPLE = "manifests/backup-manifest.v1.json";
    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Test
    void sampleIsValidAgainstItsSchema() {
        ContractAssertions.assertValid(SCHEMA, ContractAssertions.resource(SAMPLE));
    }

    @Test
    void sampleRoundTripsThroughTheRecordLosslessly() throws InvalidManifestException {
        String sample = ContractAssertions.resource(SAMPLE);

        BackupManifest manifest = ManifestFormat.read(sample.getBytes(StandardCharsets.UTF_8));
        String written = new String(ManifestFormat.write(manifest), StandardCharsets.UTF_8);

        assertThat(JSON.readTree(written)).isEqualTo(JSON.readTree(sample));
        ContractAssertions.assertValid(SCHEMA, written);
    }

    @Test
    void theManifestOfAStoredEventRepeatsItWithKindAndVersion() throws InvalidManifestException {
        Stored stored = JSON.readValue(ContractAssertions.sample("backup-stored.v1"), Stored.class);

        byte[] written = ManifestFormat.write(BackupManifest.of(stored));

        ContractAssertions.assertValid(SCHEMA, new String(written, StandardCharsets.UTF_8));
        ObjectNode tree = (ObjectNode) JSON.readTree(written);
        assertThat(tree.get("kind").asString()).isEqualTo("backbus.artifact-manifest");
        assertThat(tree.get("manifestVersion").asInt()).isEqualTo(1);
        tree.remove("kind");
        tree.remove("manifestVersion");
        assertThat(tree).isEqualTo(JSON.readTree(ContractAssertions.sample("backup-stored.v1")));
        assertThat(ManifestFormat.read(written).stored()).isEqualTo(stored);
    }

    @Test
    void schemaRefusesAManifestWithoutItsKindOrOfAnotherVersion() {
        ObjectNode noKind = sample();
        noKind.remove("kind");
        ContractAssertions.assertInvalid(SCHEMA, noKind.toString());
        ContractAssertions.assertInvalid(SCHEMA, sample().put("manifestVersion", 2).toString());
        ObjectNode noKeyId = sample();
        noKeyId.remove("keyId");
        ContractAssertions.assertInvalid(SCHEMA, noKeyId.toString());
    }

    @Test
    void readRefusesWhatIsNotAManifestOfThisVersionSayingWhy() {
        assertThatThrownBy(() -> read("{\"kind\": ")).isInstanceOf(InvalidManifestException.class)
                .hasMessageStartingWith("not JSON: ");
        assertThatThrownBy(() -> read("[]")).hasMessage("not a JSON object");
        assertThatThrownBy(() -> read("null")).hasMessage("not a JSON object");
        assertThatThrownBy(() -> read(sample().put("kind", "other").toString()))
                .hasMessage("kind is \"other\", expected \"backbus.artifact-manifest\"");
        ObjectNode noKind = sample();
        noKind.remove("kind");
        assertThatThrownBy(() -> read(noKind.toString()))
                .hasMessage("kind is missing, expected \"backbus.artifact-manifest\"");
        assertThatThrownBy(() -> read(sample().put("manifestVersion", 2).toString()))
                .hasMessage("manifestVersion is 2, only 1 is supported");
        assertThatThrownBy(() -> read(sample().put("runId", "not-a-uuid").toString()))
                .hasMessageStartingWith("unparsable manifest: ");
    }

    @Test
    void readIgnoresFieldsALaterWriterAdds() throws InvalidManifestException {
        assertThat(read(sample().put("addedLater", true).toString()).keyId()).isEqualTo("1932402213");
    }

    private static BackupManifest read(String json) throws InvalidManifestException {
        return ManifestFormat.read(json.getBytes(StandardCharsets.UTF_8));
    }

    private static ObjectNode sample() {
        return (ObjectNode) JSON.readTree(ContractAssertions.resource(SAMPLE));
    }
}
