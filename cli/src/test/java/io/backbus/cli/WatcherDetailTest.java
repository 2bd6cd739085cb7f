package io.backbus.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** What the progress bar says about a run or a restore, and the one-line outcome of a restore. */
class WatcherDetailTest {

    private static JsonNode json(String text) {
        return BackbusApi.JSON.readTree(text);
    }

    @Test
    void sizesAreHumanReadable() {
        assertThat(RunWatcher.human(1023)).isEqualTo("1023 B");
        assertThat(RunWatcher.human(1536)).isEqualTo(String.format("%.1f KiB", 1.5));
        assertThat(RunWatcher.human(5L * 1024 * 1024 * 1024)).isEqualTo(String.format("%.1f GiB", 5.0));
    }

    @Test
    void aRunShowsDumpedBytesThenUploadedShare() {
        assertThat(RunWatcher.detail(json("{\"state\": \"REQUESTED\"}"))).isEmpty();
        assertThat(RunWatcher.detail(json("{\"bytesDumped\": 2048}"))).isEqualTo("dumped " + RunWatcher.human(2048));
        assertThat(RunWatcher.detail(json("{\"bytesDumped\": 4096, \"bytesUploaded\": 1024, "
                + "\"uploadTotalBytes\": 4096}"))).endsWith("(25%)").startsWith("dumped ");
    }

    @Test
    void aRestoreShowsWhatItsStageHasDone() {
        assertThat(RestoreWatcher.detail(json("{\"progress\": {\"stage\": \"INTEGRITY\", \"bytes\": 512, "
                + "\"totalBytes\": 1024}}"))).isEqualTo("checked 512 B of " + RunWatcher.human(1024) + " (50%)");
        assertThat(RestoreWatcher.detail(json("{\"progress\": {\"stage\": \"RESTORE\", \"bytes\": 3}}")))
                .isEqualTo("restored 3 entries");
        assertThat(RestoreWatcher.detail(json("{\"progress\": {\"stage\": \"REQUESTED\", \"bytes\": 0}}"))).isEmpty();
    }

    @Test
    void onlyAVerifiedRestoreHasAnOutcome() {
        assertThat(RestoreWatcher.outcome(json("{\"id\": \"r-1\", \"state\": \"VERIFIED\", \"rtoMillis\": 2500, "
                + "\"verification\": {\"tablesChecked\": 2, \"rowsChecked\": 10}}")))
                .isEqualTo(String.format("restore verified: 2 tables, 10 rows, rto=%.2fs", 2.5));
        assertThatThrownBy(() -> RestoreWatcher.outcome(json("{\"id\": \"r-2\", \"state\": \"FAILED\", "
                + "\"stage\": \"INTEGRITY\", \"reason\": \"sha256 mismatch\"}")))
                .isInstanceOf(CliException.class)
                .hasMessage("restore r-2 FAILED at stage INTEGRITY: sha256 mismatch (the destination was not touched)");
    }
}
