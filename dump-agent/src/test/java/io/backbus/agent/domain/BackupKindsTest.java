package io.backbus.agent.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.backbus.agent.fixedbytes.FixedBytesKind;
import io.backbus.agent.postgres.PgRestore;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Dumpers by target kind, restorers by artifact format; two of one kind or format stop the start. */
class BackupKindsTest {

    private final FixedBytesKind fixed = new FixedBytesKind();
    private final PgRestore pgRestore = new PgRestore(Path.of("/nonexistent"));

    @Test
    void findsTheDumperByKindAndTheRestorerByFormat() {
        BackupKinds kinds = new BackupKinds(List.of(fixed), List.of(fixed, pgRestore));

        assertThat(kinds.dumper("fixed-bytes")).containsSame(fixed);
        assertThat(kinds.dumper("postgres")).isEmpty();
        assertThat(kinds.restorer("fixed-bytes-v1")).containsSame(fixed);
        assertThat(kinds.restorer("pg_dump-custom")).containsSame(pgRestore);
        assertThat(kinds.restorer(null)).isEmpty();
        assertThat(kinds.kinds()).isEqualTo("fixed-bytes");
        assertThat(kinds.formats()).isEqualTo("fixed-bytes-v1, pg_dump-custom");
    }

    @Test
    void twoRestorersOfOneFormatAreRefused() {
        assertThatThrownBy(() -> new BackupKinds(List.of(), List.of(fixed, new FixedBytesKind())))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("more than one backup kind handles artifact format 'fixed-bytes-v1'");
    }
}
