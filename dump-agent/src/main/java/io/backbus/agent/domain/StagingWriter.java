package io.backbus.agent.domain;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;

/** Opens a staging file for writing (mode 600); replaceable in tests (e.g. by a full disk). */
@FunctionalInterface
public interface StagingWriter {

    OutputStream openForWrite(Path file) throws IOException;
}
