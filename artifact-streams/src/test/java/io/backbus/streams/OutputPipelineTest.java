package io.backbus.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class OutputPipelineTest {

    private final byte[] data = TestBytes.text(1024 * 1024 + 3);

    @Test
    void filtersSeeTheBytesInTheOrderTheyAreComposed() throws Exception {
        Sha256Digest plain = new Sha256Digest();
        ByteCount plainCount = new ByteCount();
        Sha256Digest staged = new Sha256Digest();
        ByteCount stagedCount = new ByteCount();
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (OutputStream out = OutputPipeline.of(plain, plainCount, Zstd.compress(3))
                .then(staged).then(stagedCount).into(sink)) {
            TestBytes.writeInChunks(out, data);
        }

        // before the compressor: the bytes written; after it: the bytes that reached the sink
        assertThat(plain.hex()).isEqualTo(TestBytes.sha256(data));
        assertThat(plainCount.bytes()).isEqualTo(data.length);
        assertThat(staged.hex()).isEqualTo(TestBytes.sha256(sink.toByteArray())).isNotEqualTo(plain.hex());
        assertThat(stagedCount.bytes()).isEqualTo(sink.size()).isLessThan(data.length);
        assertThat(ZstdTest.decompress(sink.toByteArray())).isEqualTo(data);
    }

    @Test
    void withoutFiltersWritesTheSinkAndClosesItOnce() throws Exception {
        int[] closes = {0};
        ByteArrayOutputStream sink = new ByteArrayOutputStream() {
            @Override
            public void close() {
                closes[0]++;
            }
        };
        PipelineOutputStream out = OutputPipeline.of().into(sink);
        out.write(data);
        out.close();
        out.close();

        assertThat(sink.toByteArray()).isEqualTo(data);
        assertThat(closes[0]).isEqualTo(1);
        assertThat(out.sinkFailure()).isEmpty();
    }

    @Test
    void aFullDiskIsTheSinkFailingThroughTheCompressor() throws Exception {
        Path full = Path.of("/dev/full");
        assumeTrue(Files.isWritable(full), "needs /dev/full (Linux)");
        Sha256Digest plain = new Sha256Digest();
        PipelineOutputStream out = OutputPipeline.of(plain, Zstd.compress(1)).into(new FileOutputStream(full.toFile()));

        assertThatThrownBy(() -> {
            try (out) {
                out.write(TestBytes.random(4 * 1024 * 1024)); // incompressible: the compressor must write
            }
        }).isInstanceOfSatisfying(EndpointFailedException.class, e -> {
            assertThat(e.isSink()).isTrue();
            assertThat(e.getMessage()).contains("No space left");
        });
        assertThat(out.sinkFailure()).get().extracting(EndpointFailedException::endpoint)
                .isEqualTo(EndpointFailedException.Endpoint.SINK);
        assertThat(out.sinkFailure().get().failure()).isInstanceOf(IOException.class)
                .isNotInstanceOf(EndpointFailedException.class);
    }

    @Test
    void aFailingFilterIsNotTheSinkFailing() throws Exception {
        IOException filterBroke = new IOException("filter broke");
        OutputFilter failing = downstream -> new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                throw filterBroke;
            }
        };
        PipelineOutputStream out = OutputPipeline.of(failing).into(new ByteArrayOutputStream());

        assertThatThrownBy(() -> out.write(1)).isSameAs(filterBroke);
        assertThat(EndpointFailedException.in(filterBroke)).isEmpty();
        assertThat(out.sinkFailure()).isEmpty();
    }

    @Test
    void remembersTheSinkFailureWhenAFilterReportsItAsSomethingElse() throws Exception {
        IOException sinkBroke = new IOException("upload failed");
        OutputFilter hiding = downstream -> new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                try {
                    downstream.write(b);
                } catch (IOException e) {
                    throw new IOException("encryption failed"); // the cause is lost
                }
            }
        };
        PipelineOutputStream out = OutputPipeline.of(hiding).into(TestBytes.failingAfter(0, sinkBroke));

        assertThatThrownBy(() -> out.write(1)).hasMessage("encryption failed");
        assertThat(out.sinkFailure()).get().extracting(EndpointFailedException::failure).isSameAs(sinkBroke);
    }

    @Test
    void aFailingCloseOfTheSinkIsTheSinkFailing() throws Exception {
        IOException syncFailed = new IOException("fsync failed");
        OutputStream sink = new ByteArrayOutputStream() {
            @Override
            public void close() throws IOException {
                throw syncFailed;
            }
        };
        PipelineOutputStream out = OutputPipeline.of(new Sha256Digest()).into(sink);

        assertThatThrownBy(out::close).isInstanceOfSatisfying(EndpointFailedException.class,
                e -> assertThat(e.failure()).isSameAs(syncFailed));
    }

    @Test
    void closesTheSinkWhenAFilterFailsToCloseIt() throws Exception {
        boolean[] closed = {false};
        OutputStream sink = new ByteArrayOutputStream() {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        OutputFilter failingClose = downstream -> new OutputStream() {
            @Override
            public void write(int b) {
            }

            @Override
            public void close() throws IOException {
                throw new IOException("trailer failed");
            }
        };
        PipelineOutputStream out = OutputPipeline.of(failingClose).into(sink);

        assertThatThrownBy(out::close).hasMessage("trailer failed");
        assertThat(closed[0]).isTrue();
    }

    @Test
    void endpointFailuresAreFoundInACauseChain() {
        EndpointFailedException sink = new EndpointFailedException(EndpointFailedException.Endpoint.SINK,
                new IOException("disk full"));
        IOException wrapped = new IOException("compressor", new RuntimeException(sink));

        assertThat(EndpointFailedException.in(wrapped)).containsSame(sink);
        assertThat(EndpointFailedException.in(new IOException("other"))).isEmpty();
        assertThat(EndpointFailedException.in(null)).isEmpty();
    }
}
