package io.backbus.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ByteCountTest {

    private final byte[] data = TestBytes.random(123_457);

    @Test
    void countsWhatIsWritten() throws Exception {
        ByteCount count = new ByteCount();
        try (OutputStream out = OutputPipeline.of(count).into(new ByteArrayOutputStream())) {
            TestBytes.writeInChunks(out, data);
            assertThat(count.bytes()).as("while writing").isEqualTo(data.length);
            assertThat(count.ended()).isFalse();
        }

        assertThat(count.bytes()).isEqualTo(data.length);
        assertThat(count.ended()).isTrue();
    }

    @Test
    void countsWhatIsReadAndSkipped() throws Exception {
        ByteCount count = new ByteCount();
        try (InputStream in = InputPipeline.of(count).from(new ByteArrayInputStream(data))) {
            in.readNBytes(1_000);
            assertThat(count.bytes()).isEqualTo(1_000);
            in.skip(10_000);
            assertThat(count.bytes()).isEqualTo(11_000);
            in.transferTo(OutputStream.nullOutputStream());
        }

        assertThat(count.bytes()).isEqualTo(data.length);
    }

    @Test
    void isReadableFromAnotherThreadWhileBytesMove() throws Exception {
        ByteCount count = new ByteCount();
        AtomicLong seen = new AtomicLong(-1);
        try (OutputStream out = OutputPipeline.of(count).into(new ByteArrayOutputStream())) {
            out.write(data, 0, 1_000);
            Thread reader = new Thread(() -> seen.set(count.bytes()));
            reader.start();
            reader.join();
        }

        assertThat(seen.get()).isEqualTo(1_000);
    }

    @Test
    void notifiesTheSizeOfEveryChunkThatPassed() throws Exception {
        List<Long> chunks = new ArrayList<>();
        ByteCount count = ByteCount.notifying(chunks::add);
        try (OutputStream out = OutputPipeline.of(count).into(new ByteArrayOutputStream())) {
            out.write(data, 0, 10);
            out.write(data, 10, 0);
            out.write(data[10]);
            out.write(data, 11, 500);
        }

        assertThat(chunks).containsExactly(10L, 1L, 500L);
        assertThat(count.bytes()).isEqualTo(511);
    }

    @Test
    void notifiesNothingForAWriteTheNextStepRefused() throws Exception {
        List<Long> chunks = new ArrayList<>();
        ByteCount count = ByteCount.notifying(chunks::add);
        OutputStream out = OutputPipeline.of(count).into(TestBytes.failingAfter(100, new IOException("full")));
        out.write(data, 0, 100);

        assertThatThrownBy(() -> out.write(data, 0, 1))
                .isInstanceOf(EndpointFailedException.class);
        assertThat(chunks).containsExactly(100L);
        assertThat(count.bytes()).isEqualTo(100);
    }
}
