package io.backbus.scheduler.web;

import io.backbus.contracts.RestoreDestination;
import io.backbus.scheduler.domain.NewRestore;
import java.util.UUID;

/**
 * Body of {@code POST /restores}: exactly one of {@code backupId} and {@code target} (its newest AVAILABLE
 * backup); {@code clean} defaults to false, {@code createDatabase} to true, {@code jobs} to 1.
 */
record RestoreRequest(UUID backupId, String target, RestoreDestination destination, Boolean clean,
        Boolean createDatabase, Integer jobs) {

    NewRestore toNewRestore() {
        return new NewRestore(backupId, target, destination, clean, createDatabase, jobs);
    }
}
