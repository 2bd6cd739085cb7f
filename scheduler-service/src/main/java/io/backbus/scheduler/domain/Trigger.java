package io.backbus.scheduler.domain;

import java.util.Locale;

/** Why a run was started; the wire name is lower case as in {@code BackupRequested.trigger}. */
public enum Trigger {
    SCHEDULE, MANUAL, RETRY;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Trigger fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT));
    }
}
