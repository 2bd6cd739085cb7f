package io.backbus.agent.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;

import io.backbus.contracts.ArtifactStreaming;
import io.backbus.crypto.UrlSigner;
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
    // the broker is another system: only what is handed to the port matters here
    private final TelemetryEvents events = mock(TelemetryEvents.class);
    private final ArtifactLocations locations = new ArtifactLocations(() -> "http://agent:8082", new UrlSigner(
            "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII), clock));

    @Test
    void announcesOnceWhenTheThresholdIsStagedAndNotForASmallerDump() {
        try (LiveDumps live = new LiveDumps(clock, Duration.ofMinutes(5));
             DumpStreaming streaming = new DumpStreaming("agent-1", live, locations, events, clock,
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

            ArgumentCaptor<ArtifactStreaming> event = ArgumentCaptor.forClass(ArtifactStreaming.class);
            verify(events, timeout(5000)).artifactStreaming(event.capture());
            Mockito.verifyNoMoreInteractions(events);
            ArtifactStreaming announced = event.getValue();
            assertThat(announced.target()).isEqualTo("orders");
            assertThat(announced.runId()).isEqualTo(big);
            assertThat(announced.dumpStartedAt()).isEqualTo(NOW);
            assertThat(announced.location()).startsWith("http://agent:8082/artifacts/" + big + "/live?");
        }
    }

    @Test
    void withoutAThresholdAnnouncesAsSoonAsTheFileExists() {
        try (LiveDumps live = new LiveDumps(clock, Duration.ofMinutes(5));
             DumpStreaming streaming = new DumpStreaming("agent-1", live, locations, events, clock,
                     Duration.ofHours(6))) {
            UUID runId = UUID.randomUUID();
            streaming.start(runId, "orders").started(Path.of("/tmp/" + runId + ".partial"), NOW);
            verify(events, timeout(5000)).artifactStreaming(argThat(e -> e.runId().equals(runId)));
        }
    }
}
