package io.backbus.uploader.domain;

import io.backbus.contracts.Stored;
import java.util.UUID;

/** The runs whose artifact is stored and verified. */
public interface UploadStore {

    void insert(Stored stored);

    boolean existsForRun(UUID runId);
}
