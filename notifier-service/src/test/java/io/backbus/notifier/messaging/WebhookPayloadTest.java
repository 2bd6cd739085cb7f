package io.backbus.notifier.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import io.backbus.contracts.RestoreDestination;
import io.backbus.notifier.domain.Alert;
import io.backbus.notifier.domain.AlertKind;
import io.backbus.notifier.domain.AlertStatus;
import io.backbus.notifier.domain.RestoreDetails;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class WebhookPayloadTest {

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Instant AT = Instant.parse("2026-11-23T09:27:00Z");
    private static final List<String> COMMON = List.of("alertId", "kind", "severity", "target", "runId", "stage",
            "reason", "agentId", "occurredAt");

    @Test
    void aBackupAlertHasExactlyTheFieldsItAlwaysHad() {
        JsonNode body = render(alert(AlertKind.BACKUP_FAILED, UUID.randomUUID(), "db-host-1", null));

        assertThat(body.propertyNames()).containsExactlyElementsOf(COMMON);
    }

    @Test
    void aRestoreAlertAddsTheRestoreFieldsThatArePresent() {
        UUID restoreId = UUID.randomUUID();
        UUID planId = UUID.randomUUID();
        JsonNode test = render(alert(AlertKind.RESTORE_TEST_FAILED, null, null,
                new RestoreDetails(restoreId, null, planId, 712_400L, 600_000L, null, null)));

        assertThat(test.propertyNames()).containsAll(COMMON)
                .contains("restoreId", "planId", "rtoMillis", "rtoTargetMillis")
                .doesNotContain("backupId", "destinationTouched", "destination");
        assertThat(test.get("kind").asString()).isEqualTo("restore.test-failed");
        assertThat(test.get("restoreId").asString()).isEqualTo(restoreId.toString());
        assertThat(test.get("rtoMillis").asLong()).isEqualTo(712_400L);
        assertThat(test.get("runId").isNull()).isTrue();

        JsonNode manual = render(alert(AlertKind.RESTORE_FAILED, null, null, new RestoreDetails(restoreId,
                UUID.randomUUID(), null, null, null, false, new RestoreDestination("db-host-2", "orders", "o2"))));

        assertThat(manual.get("destinationTouched").asBoolean(true)).isFalse();
        assertThat(manual.get("destination").get("database").asString()).isEqualTo("o2");
        assertThat(manual.propertyNames()).doesNotContain("planId", "rtoMillis", "rtoTargetMillis");
    }

    private static JsonNode render(Alert alert) {
        return JSON.readTree(JSON.writeValueAsString(WebhookPayload.of(alert)));
    }

    private static Alert alert(AlertKind kind, UUID runId, String agentId, RestoreDetails restore) {
        return new Alert(UUID.randomUUID(), kind.wireName() + ":orders", kind, kind.severity(), "orders", runId,
                "RTO", "why", agentId, AT, AT, AlertStatus.PENDING, 0, AT, null, null, restore);
    }
}
