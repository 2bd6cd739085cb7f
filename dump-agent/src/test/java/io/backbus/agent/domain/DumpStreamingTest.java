package io.backbus.agent.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;

import io.backbus.contracts.ArtifactStreaming;
import io.backbus.contracts.EventTypes;
import io.backbus.contracts.Topics;
import io.backbus.crypto.UrlSigner;
import io.backbus.delivery.TelemetryPublisher;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.mockito.Mockito;

/** The announcement of a live dump waits until enough is staged, and happens once. */
class DumpStreamingTest {

    private static final Instant NOW = Instant.parse("2026-11-23T02:00:00Z");
    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    // the broker is another system: only what is handed to the publisher matters here
    private final TelemetryPublisher publisher = mock(TelemetryPublisher.class);
    private final ArtifactLocations locations = new ArtifactLocations(() -> "http://agent:8082", new UrlSigner(
            "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII), clock));

    @Test
    void announcesOnceWhenTheThresholdIsStagedAndNotForASmallerDump() {
        try (LiveDumps live = new LiveDumps(clock, Duration.ofMinutes(5));
             DumpStreaming streaming = new DumpStreaming("agent-1", live, locations, publisher, clock,
                     Duration.ofHours(6), 100)) {
            UUID small = UUID.randomUUID();
            DumpStreaming.Run smallRun = streaming.start(small, "orders");
            smallRun.started(Path.of("/tmp/" + small + ".partial"), NOW);
            smallRun.staged(99);
            smallRun.done(99);

            UUID big = UUID.randomUUID();
            DumpStreaming.Run bigRun = streaming.start(big, "orders");
            bigRun.started(Path.of("/tmp/" + big + ".partial"), NOW);
            bigRun.staged(60);
            bigRun.staged(60);
            bigRun.staged(500);

            ArgumentCaptor<Object> event = ArgumentCaptor.forClass(Object.class);
            verify(publisher, timeout(5000)).publish(eq(Topics.ARTIFACT_STREAMING), eq("orders"),
                    eq(EventTypes.ARTIFACT_STREAMING), eq(big.toString()), event.capture());
            Mockito.verifyNoMoreInteractions(publisher);
            ArtifactStreaming announced = (ArtifactStreaming) event.getValue();
            assertThat(announced.runId()).isEqualTo(big);
            assertThat(announced.dumpStartedAt()).isEqualTo(NOW);
            assertThat(announced.location()).startsWith("http://agent:8082/artifacts/" + big + "/live?");
        }
    }

    @Test
    void withoutAThresholdAnnouncesAsSoonAsTheFileExists() {
        try (LiveDumps live = new LiveDumps(clock, Duration.ofMinutes(5));
             DumpStreaming streaming = new DumpStreaming("agent-1", live, locations, publisher, clock,
                     Duration.ofHours(6))) {
            UUID runId = UUID.randomUUID();
            streaming.start(runId, "orders").started(Path.of("/tmp/" + runId + ".partial"), NOW);
            verify(publisher, timeout(5000)).publish(eq(Topics.ARTIFACT_STREAMING), eq("orders"),
                    eq(EventTypes.ARTIFACT_STREAMING), eq(runId.toString()), any());
        }
    }
}
