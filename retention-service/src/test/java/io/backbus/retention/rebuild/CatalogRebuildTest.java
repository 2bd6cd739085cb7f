package io.backbus.retention.rebuild;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.backbus.delivery.EventCodec;
import io.backbus.repository.ObjectStoreException;
import io.backbus.repository.manifest.ManifestSource;
import io.backbus.retention.domain.Backup;
import io.backbus.retention.domain.BackupCatalog;
import io.backbus.retention.domain.InMemoryBackups;
import io.backbus.testsupport.ContractAssertions;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

class CatalogRebuildTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final String KEY = "targets/orders/2026/11/23/3f1c2a9e-6b7d-4c1e-9a2b-5d8e7f6a1b2c/manifest.json";

    private final Map<String, String> objects = new LinkedHashMap<>();
    private boolean storeDown;
    private final InMemoryBackups backups = new InMemoryBackups();
    private final List<Backup> rows = backups.rows();
    private final CatalogRebuild rebuild = new CatalogRebuild(new FakeSource(),
            new BackupCatalog(backups, Clock.fixed(Instant.EPOCH, ZoneOffset.UTC)), new EventCodec());

    @Test
    void catalogsTheSampleManifestOnceAndNamesEveryInvalidOne() {
        objects.put(KEY, JSON.writeValueAsString(manifest()));
        objects.put("targets/a/kind/manifest.json", JSON.writeValueAsString(manifest().put("kind", "other")));
        objects.put("targets/a/version/manifest.json", JSON.writeValueAsString(manifest().put("manifestVersion", 2)));
        objects.put("targets/a/array/manifest.json", "[]");
        ObjectNode noKey = manifest();
        noKey.remove("keyId");
        objects.put("targets/a/nokey/manifest.json", JSON.writeValueAsString(noKey));
        objects.put("targets/a/moved/manifest.json", JSON.writeValueAsString(manifest()));

        RebuildResult result = rebuild.rebuild();

        assertThat(result.scanned()).isEqualTo(6);
        assertThat(result.added()).isEqualTo(1);
        assertThat(result.alreadyCataloged()).isZero();
        assertThat(result.invalid()).extracting(RebuildResult.Invalid::reason).containsExactly(
                "kind is \"other\", expected \"backbus.artifact-manifest\"",
                "manifestVersion is 2, only 1 is supported",
                "not a JSON object",
                "Stored: $: required property 'keyId' not found",
                "manifestKey \"" + KEY + "\" is not where it is stored");
        assertThat(rows).singleElement().satisfies(b -> {
            assertThat(b.keyId()).isEqualTo("1932402213");
            assertThat(b.lastVerified()).as("manifests carry no restore-test results").isNull();
        });

        RebuildResult again = rebuild.rebuild();
        assertThat(again.added()).isZero();
        assertThat(again.alreadyCataloged()).isEqualTo(1);
        assertThat(rows).hasSize(1);
    }

    @Test
    void stopsWhenTheStoreFails() {
        storeDown = true;
        assertThatThrownBy(rebuild::rebuild).isInstanceOfSatisfying(RebuildFailedException.class,
                e -> assertThat(e.unreachable()).isTrue());
    }

    private static ObjectNode manifest() {
        ObjectNode node = (ObjectNode) JSON.readTree(ContractAssertions.sample("backup-stored.v1"));
        node.put("kind", "backbus.artifact-manifest");
        node.put("manifestVersion", 1);
        return node;
    }

    private final class FakeSource implements ManifestSource {
        @Override
        public String location() {
            return "memory";
        }

        @Override
        public List<String> manifestKeys() throws ObjectStoreException {
            if (storeDown) {
                throw new ObjectStoreException("down", null, true, true, null);
            }
            return List.copyOf(objects.keySet());
        }

        @Override
        public Optional<byte[]> read(String key, int maxBytes) {
            return Optional.ofNullable(objects.get(key)).map(s -> s.getBytes(StandardCharsets.UTF_8));
        }
    }
}
