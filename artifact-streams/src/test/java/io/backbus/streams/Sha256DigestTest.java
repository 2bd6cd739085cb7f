package io.backbus.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import org.junit.jupiter.api.Test;

class Sha256DigestTest {

    private final byte[] data = TestBytes.random(300_001);

    @Test
    void hashesWhatIsWrittenLikeMessageDigest() throws Exception {
        Sha256Digest digest = new Sha256Digest();
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (OutputStream out = OutputPipeline.of(digest).into(sink)) {
            TestBytes.writeInChunks(out, data);
        }

        assertThat(digest.hex()).isEqualTo(TestBytes.sha256(data)).matches("[0-9a-f]{64}");
        assertThat(digest.bytes()).isEqualTo(data.length);
        assertThat(sink.toByteArray()).isEqualTo(data);
    }

    @Test
    void hashesWhatIsReadIncludingSkippedBytes() throws Exception {
        Sha256Digest digest = new Sha256Digest();
        try (InputStream in = InputPipeline.of(digest).from(new ByteArrayInputStream(data))) {
            assertThat(in.read()).isEqualTo(data[0] & 0xff);
            assertThat(in.skip(100_000)).isEqualTo(100_000);
            in.readAllBytes();
        }

        assertThat(digest.hex()).isEqualTo(TestBytes.sha256(data));
    }

    @Test
    void isReadableAtTheEndOfAnInputBeforeItIsClosed() throws Exception {
        Sha256Digest digest = new Sha256Digest();
        InputStream in = InputPipeline.of(digest).from(new ByteArrayInputStream(data));
        in.readAllBytes();

        assertThat(digest.hex()).isEqualTo(TestBytes.sha256(data));
        assertThat(digest.hex()).as("readable again").isEqualTo(TestBytes.sha256(data));
    }

    @Test
    void isNotReadableBeforeTheStreamEnded() throws Exception {
        Sha256Digest digest = new Sha256Digest();
        OutputStream out = OutputPipeline.of(digest).into(new ByteArrayOutputStream());
        out.write(data);

        assertThatThrownBy(digest::hex).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void hashesTheEmptyStream() throws Exception {
        Sha256Digest digest = new Sha256Digest();
        OutputPipeline.of(digest).into(new ByteArrayOutputStream()).close();

        assertThat(digest.hex()).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    }

    @Test
    void followsOneStreamOnly() throws Exception {
        Sha256Digest digest = new Sha256Digest();
        OutputPipeline.of(digest).into(new ByteArrayOutputStream());

        assertThatThrownBy(() -> OutputPipeline.of(digest).into(new ByteArrayOutputStream()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("one stream");
    }
}
