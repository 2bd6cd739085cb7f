package io.backbus.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class ZstdTest {

    private final byte[] data = TestBytes.text(2 * 1024 * 1024 + 17);

    @ParameterizedTest
    @CsvSource({"1,0", "3,0", "19,0", "3,2"})
    void roundTrips(int level, int workers) throws Exception {
        byte[] compressed = compress(data, level, workers);

        assertThat(compressed.length).isLessThan(data.length / 2);
        assertThat(decompress(compressed)).isEqualTo(data);
    }

    @Test
    void writesAFrameTheZstdLibraryReads() throws Exception {
        byte[] compressed = compress(data, 3, 0);

        assertThat(com.github.luben.zstd.Zstd.decompress(compressed, data.length)).isEqualTo(data);
    }

    @Test
    void aCorruptFrameFailsAsTheBytesFaultNotTheSources() throws Exception {
        byte[] compressed = compress(data, 3, 0);
        compressed[compressed.length / 2] ^= 0x5a;

        PipelineInputStream in = InputPipeline.of(Zstd.decompress()).from(new ByteArrayInputStream(compressed));

        assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class)
                .isNotInstanceOf(EndpointFailedException.class);
        assertThat(in.sourceFailure()).isEmpty();
    }

    @Test
    void aTruncatedFrameFailsAfterTheSourceEnded() throws Exception {
        byte[] compressed = compress(data, 3, 0);
        byte[] truncated = Arrays.copyOf(compressed, compressed.length - 100);

        PipelineInputStream in = InputPipeline.of(Zstd.decompress()).from(new ByteArrayInputStream(truncated));

        assertThatThrownBy(in::readAllBytes).isInstanceOf(IOException.class)
                .isNotInstanceOf(EndpointFailedException.class);
        assertThat(in.sourceEnded()).isTrue();
        assertThat(in.sourceFailure()).isEmpty();
    }

    @Test
    void bytesAfterTheFrameStillPassTheFiltersBeforeIt() throws Exception {
        byte[] compressed = compress(data, 3, 0);
        ByteCount received = new ByteCount();
        byte[] read;
        try (InputStream in = InputPipeline.of(received, Zstd.decompress())
                .from(new ByteArrayInputStream(compressed))) {
            read = in.readAllBytes();
        }

        assertThat(read).isEqualTo(data);
        assertThat(received.bytes()).isEqualTo(compressed.length);
    }

    @Test
    void rejectsLevelsZstdDoesNotHave() {
        assertThatThrownBy(() -> Zstd.compress(23)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("level");
        assertThatThrownBy(() -> Zstd.compress(3, -1)).isInstanceOf(IllegalArgumentException.class);
    }

    static byte[] compress(byte[] bytes, int level, int workers) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (OutputStream out = OutputPipeline.of(Zstd.compress(level, workers)).into(sink)) {
            TestBytes.writeInChunks(out, bytes);
        }
        return sink.toByteArray();
    }

    static byte[] decompress(byte[] compressed) throws IOException {
        try (InputStream in = InputPipeline.of(Zstd.decompress()).from(new ByteArrayInputStream(compressed))) {
            return in.readAllBytes();
        }
    }
}
