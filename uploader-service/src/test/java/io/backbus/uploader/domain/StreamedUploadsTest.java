package io.backbus.uploader.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoInteractions;

import io.backbus.contracts.ArtifactStreaming;
import io.backbus.uploader.storage.ObjectStore;
import io.backbus.uploader.storage.StreamedUploadRepository;
import io.backbus.uploader.storage.UploadRepository;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** {@code backbus.uploader.streaming=false}; the streamed path itself is covered against real servers by StreamingIT. */
class StreamedUploadsTest {

    @Test
    void hintsAreIgnoredWhenStreamingIsOff() {
        // mocks only prove that nothing is touched: no claim, no pull, no bucket
        ArtifactTransfer transfer = mock(ArtifactTransfer.class);
        ObjectStore store = mock(ObjectStore.class);
        UploadRepository uploads = mock(UploadRepository.class);
        StreamedUploadRepository streams = mock(StreamedUploadRepository.class);
        try (StreamedUploads streamed = new StreamedUploads(false, Duration.ofMinutes(10), transfer, store, uploads,
                streams, Clock.systemUTC())) {
            StreamedUploads.Result result = streamed.stream(new ArtifactStreaming(UUID.randomUUID(), "db-host-1",
                    "orders", "http://db-host-1:8082/artifacts/x/live?sig=abc", Instant.now(),
                    Instant.now().plusSeconds(3600)));

            assertThat(result).isEqualTo(StreamedUploads.Result.IGNORED);
        }
        verifyNoInteractions(transfer, store, uploads, streams);
    }
}
