package io.backbus.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class HeadTest {

    private final byte[] data = TestBytes.random(50_000);

    @Test
    void keepsTheFirstBytesWrittenAcrossWrites() throws Exception {
        Head head = Head.first(4096);
        try (OutputStream out = OutputPipeline.of(head).into(new ByteArrayOutputStream())) {
            TestBytes.writeInChunks(out, data);
        }

        assertThat(head.length()).isEqualTo(4096);
        assertThat(head.bytes()).isEqualTo(Arrays.copyOf(data, 4096));
    }

    @Test
    void keepsAllOfAShorterStream() throws Exception {
        Head head = Head.first(4096);
        try (InputStream in = InputPipeline.of(head).from(new ByteArrayInputStream(data, 0, 100))) {
            in.readAllBytes();
        }

        assertThat(head.bytes()).isEqualTo(Arrays.copyOf(data, 100));
    }
}
