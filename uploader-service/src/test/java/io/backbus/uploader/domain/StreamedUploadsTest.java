package io.backbus.uploader.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import io.backbus.contracts.ArtifactReady;
import io.backbus.contracts.ArtifactStreaming;
import io.backbus.uploader.config.ClaimProperties;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * {@code backbus.uploader.streaming=false}, and settling without a busy loop; the streamed path itself is covered
 * against real servers by StreamingIT.
 */
class StreamedUploadsTest {

    private static final ClaimProperties CLAIMS = new ClaimProperties(Duration.ofSeconds(30), "uploader-a", null);

    @Test
    void hintsAreIgnoredWhenStreamingIsOff() {
        // mocks only prove that nothing is touched: no claim, no pull, no bucket
        ArtifactTransfer transfer = mock(ArtifactTransfer.class);
        ArtifactStore store = mock(ArtifactStore.class);
        UploadStore uploads = mock(UploadStore.class);
        StreamedUploadStore streams = mock(StreamedUploadStore.class);
        try (StreamedUploads streamed = new StreamedUploads(false, Duration.ofMinutes(10), CLAIMS, transfer, store,
                uploads, streams, Clock.systemUTC())) {
            StreamedUploads.Result result = streamed.stream(new ArtifactStreaming(UUID.randomUUID(), "db-host-1",
                    "orders", "http://db-host-1:8082/artifacts/x/live?sig=abc", Instant.now(),
                    Instant.now().plusSeconds(3600)));

            assertThat(result).isEqualTo(StreamedUploads.Result.IGNORED);
        }
        verifyNoInteractions(transfer, store, uploads, streams);
    }

    @Test
    void settlingPausesBetweenLooksWhileTheRunsRowComesAndGoes() throws StageFailure {
        UUID runId = UUID.randomUUID();
        StreamedUploadStore streams = mock(StreamedUploadStore.class);
        // claimed by someone else, yet not found: twice, then the pull gets the claim
        when(streams.claimForPull(eq(runId), eq("k"), eq("uploader-a"), any(), any()))
                .thenReturn(false, false, false, true);
        when(streams.find(runId)).thenReturn(Optional.empty());
        ArtifactReady ready = mock(ArtifactReady.class);
        when(ready.runId()).thenReturn(runId);
        try (StreamedUploads streamed = new StreamedUploads(true, Duration.ofMinutes(10), CLAIMS,
                mock(ArtifactTransfer.class), mock(ArtifactStore.class), mock(UploadStore.class), streams,
                Clock.systemUTC())) {
            long started = System.nanoTime();

            assertThat(streamed.settle(ready, "k")).isInstanceOf(StreamedUploads.Pull.class);

            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(100));
        }
        verify(streams, times(4)).claimForPull(eq(runId), eq("k"), eq("uploader-a"), any(), any());
    }
}
