package io.backbus.scheduler.domain;

import java.util.Locale;

/**
 * Why a restore was started: an operator ({@code manual}), a plan's restore-test cron ({@code cron}) or its
 * "after every N backups" count ({@code after-backups}).
 */
public enum RestoreTrigger {
    MANUAL, CRON, AFTER_BACKUPS;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static RestoreTrigger fromWireName(String name) {
        return valueOf(name.toUpperCase(Locale.ROOT).replace('-', '_'));
    }
}
