package io.backbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine.ExitCode;

/** {@code backbus catalog rebuild} against a {@link ServiceStandIn} for retention-service. */
class CatalogCommandTest {

    private final ServiceStandIn retention = new ServiceStandIn();

    @AfterEach
    void stop() {
        retention.close();
    }

    @Test
    void printsTheCountsAndEachInvalidManifest() {
        retention.answer("POST /catalog/rebuild", 200, """
                {"scanned": 3, "added": 1, "alreadyCataloged": 1,
                 "invalid": [{"key": "shop/2026/12/01/b-3/manifest.json", "reason": "unknown format version 9"}]}""");

        CommandRun run = CommandRun.of("catalog", "rebuild", "--retention-url", retention.url().toString());

        assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(run.out().lines()).containsExactly(
                "catalog rebuild from " + retention.url() + ": scanned 3, added 1, already cataloged 1, invalid 1",
                "  invalid shop/2026/12/01/b-3/manifest.json: unknown format version 9");
        assertThat(run.err()).isEmpty();
        assertThat(retention.received()).extracting(ServiceStandIn.Received::method).containsExactly("POST");
    }

    @Test
    void aProblemAnswerFailsWithItsDetail() {
        retention.problem("POST /catalog/rebuild", 503, """
                {"type": "about:blank", "title": "Service Unavailable", "status": 503,
                 "detail": "the bucket cannot be listed"}""");

        CommandRun run = CommandRun.of("catalog", "rebuild", "--retention-url", retention.url().toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().strip()).isEqualTo("backbus catalog rebuild failed: " + retention.url()
                + "/catalog/rebuild answered HTTP 503: the bucket cannot be listed");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void anAnswerThatIsNoRebuildResultFails() {
        retention.answer("POST /catalog/rebuild", 200, "{\"status\": \"ok\"}");

        CommandRun run = CommandRun.of("catalog", "rebuild", "--retention-url", retention.url().toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("answered HTTP 200 without a rebuild result");
    }

    @Test
    void anUnreachableServiceFailsWithOneLineAndNoStackTrace() {
        URI nowhere = ServiceStandIn.unreachableUrl();

        CommandRun run = CommandRun.of("catalog", "rebuild", "--retention-url", nowhere.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err().lines()).singleElement().asString()
                .startsWith("backbus catalog rebuild failed: cannot reach " + nowhere + "/catalog/rebuild: ")
                .doesNotEndWith("null");
        assertThat(run.err()).doesNotContain("Exception:", "\tat ");
    }

    @Test
    void withoutAUrlTheLocalStackStateIsRead(@TempDir Path dataDir) throws Exception {
        retention.answer("POST /catalog/rebuild", 200, "{\"scanned\": 0, \"added\": 0, \"alreadyCataloged\": 0, "
                + "\"invalid\": []}");
        Files.writeString(dataDir.resolve("local-stack.json"),
                "{\"services\": {\"retention-service\": {\"url\": \"" + retention.url() + "\", \"pid\": 1}}}");

        CommandRun run = CommandRun.of("catalog", "rebuild", "--data-dir", dataDir.toString());

        assertThat(run.exitCode()).isEqualTo(ExitCode.OK);
        assertThat(run.out().strip()).isEqualTo("catalog rebuild from " + retention.url()
                + ": scanned 0, added 0, already cataloged 0, invalid 0");
    }

    @Test
    void withoutAUrlOrALocalStackItSaysWhatToPass(@TempDir Path dataDir) {
        CommandRun run = CommandRun.of("catalog", "rebuild", "--data-dir", dataDir.toString());

        assertThat(run.exitCode()).isEqualTo(1);
        assertThat(run.err()).contains("no --retention-url and no local stack state at "
                + dataDir.resolve("local-stack.json").toAbsolutePath(), "pass --retention-url");
    }

    @Test
    void aTimeoutThatIsNoDurationIsAUsageError() {
        CommandRun run = CommandRun.of("catalog", "rebuild", "--retention-url", retention.url().toString(),
                "--timeout", "10 minutes");

        assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
        assertThat(run.err()).contains("Invalid value for option '--timeout'");
        assertThat(retention.received()).isEmpty();
    }
}
