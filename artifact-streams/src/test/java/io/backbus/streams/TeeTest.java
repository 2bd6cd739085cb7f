package io.backbus.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import org.junit.jupiter.api.Test;

class TeeTest {

    private final byte[] data = TestBytes.random(70_000);

    @Test
    void copiesWhatIsWrittenToTheBranchAndLeavesItOpen() throws Exception {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        CloseTracking branch = new CloseTracking();
        try (OutputStream out = OutputPipeline.of(Tee.to(branch)).into(sink)) {
            TestBytes.writeInChunks(out, data);
        }

        assertThat(sink.toByteArray()).isEqualTo(data);
        assertThat(branch.toByteArray()).isEqualTo(data);
        assertThat(branch.closed).isFalse();
    }

    @Test
    void copiesWhatIsRead() throws Exception {
        ByteArrayOutputStream branch = new ByteArrayOutputStream();
        byte[] read;
        try (InputStream in = InputPipeline.of(Tee.to(branch)).from(new ByteArrayInputStream(data))) {
            read = in.readAllBytes();
        }

        assertThat(read).isEqualTo(data);
        assertThat(branch.toByteArray()).isEqualTo(data);
    }

    @Test
    void branchesWhatTheStepBeforeProduced() throws Exception {
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (OutputStream out = OutputPipeline.of(Zstd.compress(3), Tee.to(compressed)).into(sink)) {
            out.write(TestBytes.text(100_000));
        }

        assertThat(compressed.toByteArray()).isEqualTo(sink.toByteArray()).hasSizeLessThan(100_000);
    }

    @Test
    void aFailingBranchIsNotTheSinkFailing() throws Exception {
        IOException broken = new IOException("branch broken");
        PipelineOutputStream out = OutputPipeline.of(Tee.to(TestBytes.failingAfter(10, broken)))
                .into(new ByteArrayOutputStream());

        assertThatThrownBy(() -> out.write(data)).isSameAs(broken);
        assertThat(out.sinkFailure()).isEmpty();
    }

    private static final class CloseTracking extends ByteArrayOutputStream {
        boolean closed;

        @Override
        public void close() {
            closed = true;
        }
    }
}
