package io.backbus.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ChildProcessTest {

    @Test
    void awaitHttpFailsFastWithLogTailWhenTheProcessDies() throws Exception {
        Path log = Files.createTempDirectory("cp-test").resolve("child.log");
        ChildProcess p = ChildProcess.start("dying", List.of("sh", "-c", "echo boom-$GREETING; exit 3"),
                Map.of("GREETING", "hi"), null, log, false);
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> ChildProcess.awaitHttp(URI.create("http://127.0.0.1:" + FreePorts.pick() + "/"),
                Duration.ofSeconds(30), p))
                .isInstanceOf(LocalStackException.class)
                .hasMessageContaining("dying exited")
                .hasMessageContaining("exit code 3")
                .hasMessageContaining("boom-hi");
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void stopTerminatesALongRunningChild() throws Exception {
        Path log = Files.createTempDirectory("cp-test").resolve("child.log");
        ChildProcess p = ChildProcess.start("sleeper", List.of("sleep", "60"), Map.of(), null, log, false);
        assertThat(p.isAlive()).isTrue();
        p.stop(Duration.ofSeconds(5));
        assertThat(p.isAlive()).isFalse();
        assertThat(ChildProcess.stopPid(p.pid(), Duration.ofSeconds(1))).isFalse();
    }

    @Test
    void freePortsAreDistinct() {
        int[] ports = FreePorts.pick(3);
        assertThat(ports).doesNotHaveDuplicates();
        assertThat(FreePorts.isFree(ports[0])).isTrue();
    }
}
