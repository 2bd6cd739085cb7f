package io.backbus.scheduler.domain;

import java.util.UUID;

/** No plan, run, restore or backup with the requested id. */
public class NotFoundException extends RuntimeException {

    private NotFoundException(String message) {
        super(message);
    }

    public static NotFoundException plan(UUID id) {
        return new NotFoundException("no plan with id " + id);
    }

    public static NotFoundException run(UUID id) {
        return new NotFoundException("no run with id " + id);
    }

    public static NotFoundException restore(UUID id) {
        return new NotFoundException("no restore with id " + id);
    }

    /** The catalog does not know the backup. */
    public static NotFoundException backup(UUID id) {
        return new NotFoundException("no backup " + id + " in the catalog");
    }

    /** The catalog has no AVAILABLE backup of the target. */
    public static NotFoundException noBackupOf(String target) {
        return new NotFoundException("the catalog has no AVAILABLE backup of target '" + target + "'");
    }
}
