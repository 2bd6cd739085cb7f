package io.backbus.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class InputPipelineTest {

    private final byte[] data = TestBytes.text(1024 * 1024 + 5);

    @Test
    void filtersSeeTheBytesInTheOrderTheyAreComposed() throws Exception {
        byte[] compressed = ZstdTest.compress(data, 3, 0);
        Sha256Digest received = new Sha256Digest();
        ByteCount receivedCount = new ByteCount();
        Sha256Digest staged = new Sha256Digest();
        ByteCount stagedCount = new ByteCount();
        byte[] read;
        try (InputStream in = InputPipeline.of(received, receivedCount, Zstd.decompress())
                .then(staged).then(stagedCount).from(new ByteArrayInputStream(compressed))) {
            read = in.readAllBytes();
        }

        // before the decompressor: the bytes of the source; after it: what the reader got
        assertThat(read).isEqualTo(data);
        assertThat(received.hex()).isEqualTo(TestBytes.sha256(compressed));
        assertThat(receivedCount.bytes()).isEqualTo(compressed.length);
        assertThat(staged.hex()).isEqualTo(TestBytes.sha256(data));
        assertThat(stagedCount.bytes()).isEqualTo(data.length);
    }

    @Test
    void aFailingSourceIsTheSourceFailingThroughTheDecompressor() throws Exception {
        byte[] compressed = ZstdTest.compress(data, 3, 0);
        IOException reset = new IOException("Connection reset");
        ByteCount received = new ByteCount();
        PipelineInputStream in = InputPipeline.of(received, Zstd.decompress())
                .from(TestBytes.failingAfter(Arrays.copyOf(compressed, compressed.length / 2), reset));

        assertThatThrownBy(in::readAllBytes).satisfies(e -> assertThat(EndpointFailedException.in(e)).get()
                .satisfies(found -> {
                    assertThat(found.isSource()).isTrue();
                    assertThat(found.failure()).isSameAs(reset);
                    assertThat(found).hasMessage("Connection reset");
                }));
        assertThat(in.sourceFailure()).get().extracting(EndpointFailedException::failure).isSameAs(reset);
        assertThat(in.sourceEnded()).isFalse();
        assertThat(received.bytes()).isEqualTo(compressed.length / 2);
    }

    @Test
    void remembersTheSourceFailureWhenAFilterReportsItAsBadBytes() throws Exception {
        // what Tink does: a failing source comes out as a ciphertext that does not authenticate
        IOException reset = new IOException("Connection reset");
        InputFilter hiding = upstream -> new InputStream() {
            @Override
            public int read() throws IOException {
                try {
                    return upstream.read();
                } catch (IOException e) {
                    throw new IOException("no matching key found for the ciphertext in the stream");
                }
            }
        };
        PipelineInputStream in = InputPipeline.of(hiding).from(TestBytes.failingAfter(new byte[3], reset));

        assertThatThrownBy(in::readAllBytes).hasMessageContaining("no matching key");
        assertThat(in.sourceFailure()).get().extracting(EndpointFailedException::failure).isSameAs(reset);
    }

    @Test
    void aRuntimeFailureOfTheSourceIsTheSourceFailing() throws Exception {
        RuntimeException sdk = new IllegalStateException("SdkClientException: connection pool shut down");
        InputStream source = new InputStream() {
            @Override
            public int read() {
                throw sdk;
            }
        };
        PipelineInputStream in = InputPipeline.of(new ByteCount()).from(source);

        assertThatThrownBy(in::read).isInstanceOfSatisfying(EndpointFailedException.class,
                e -> assertThat(e.failure()).isSameAs(sdk));
    }

    @Test
    void aSourceFailingWhileAFilterStartsIsReportedAsTheSourceFailing() {
        IOException reset = new IOException("Connection reset");
        InputFilter readsAHeader = upstream -> {
            try {
                upstream.read();
            } catch (IOException e) {
                throw new UncheckedIOException("bad header", e);
            }
            return upstream;
        };

        assertThatThrownBy(() -> InputPipeline.of(readsAHeader).from(TestBytes.failingAfter(new byte[0], reset)))
                .isInstanceOfSatisfying(EndpointFailedException.class, e -> {
                    assertThat(e.failure()).isSameAs(reset);
                    assertThat(e.getSuppressed()).hasSize(1);
                });
    }

    @Test
    void closesTheSourceOnce() throws Exception {
        int[] closes = {0};
        InputStream source = new ByteArrayInputStream(data) {
            @Override
            public void close() {
                closes[0]++;
            }
        };
        PipelineInputStream in = InputPipeline.of(new Sha256Digest(), Zstd.decompress()).from(
                new ByteArrayInputStream(ZstdTest.compress(data, 1, 0)));
        in.readAllBytes();
        in.close();
        PipelineInputStream plain = InputPipeline.of(new ByteCount()).from(source);
        plain.close();
        plain.close();

        assertThat(in.sourceEnded()).isTrue();
        assertThat(closes[0]).isEqualTo(1);
    }
}
