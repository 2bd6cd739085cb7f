package io.backbus.scheduler.domain;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import org.springframework.scheduling.support.CronExpression;

/**
 * When a plan fires: a cron expression evaluated in the plan's time zone. Accepts the standard 5-field form
 * (minute hour day-of-month month day-of-week), Spring's 6-field form with seconds first, and Spring's macros
 * ({@code @daily}, ...). Slots are computed on the zone's wall clock, so a daily 02:30 stays 02:30 across DST.
 */
public final class CronSchedule {

    private final CronExpression cron;
    private final ZoneId zone;

    private CronSchedule(CronExpression cron, ZoneId zone) {
        this.cron = cron;
        this.zone = zone;
    }

    /** Parses both parts, failing with the first offending field ({@code cron} or {@code timeZone}). */
    public static CronSchedule of(String cron, String timeZone) {
        return new CronSchedule(parseCron(cron), parseZone(timeZone));
    }

    /** Parses a 5- or 6-field cron expression (or a macro); a 5-field one fires at second 0. */
    public static CronExpression parseCron(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidScheduleException("cron", "must not be blank");
        }
        String trimmed = text.trim();
        String expression = trimmed;
        if (!trimmed.startsWith("@")) {
            int fields = trimmed.split("\\s+").length;
            if (fields == 5) {
                expression = "0 " + trimmed;
            } else if (fields != 6) {
                throw new InvalidScheduleException("cron", "'" + trimmed + "' has " + fields + " fields; expected 5"
                        + " (minute hour day-of-month month day-of-week) or 6 (with seconds first)");
            }
        }
        try {
            return CronExpression.parse(expression);
        } catch (IllegalArgumentException e) {
            throw new InvalidScheduleException("cron", "'" + trimmed + "' is not a valid cron expression: "
                    + e.getMessage());
        }
    }

    /** Parses an IANA time zone id such as {@code Europe/Berlin} (or a fixed offset such as {@code +02:00}). */
    public static ZoneId parseZone(String text) {
        if (text == null || text.isBlank()) {
            throw new InvalidScheduleException("timeZone", "must not be blank");
        }
        try {
            return ZoneId.of(text.trim());
        } catch (DateTimeException e) {
            throw new InvalidScheduleException("timeZone", "'" + text + "' is not a known time zone");
        }
    }

    public ZoneId zone() {
        return zone;
    }

    /** The first slot strictly after {@code instant}, or null if the expression never fires again. */
    public Instant nextAfter(Instant instant) {
        ZonedDateTime next = cron.next(instant.atZone(zone));
        return next == null ? null : next.toInstant();
    }

    /**
     * The latest slot that is due at {@code now}, given that {@code firstDue} (at or before {@code now}) is the
     * first slot not fired yet: {@code firstDue} itself or one of its successors. Used to fire one run for the
     * latest slot after a downtime instead of a burst of all missed ones. Finds it without walking every missed
     * slot (a per-second cron missed for a month is millions of slots): it widens a window back from {@code now}
     * until it holds a slot, then walks forward inside that window only.
     */
    public Instant latestDue(Instant firstDue, Instant now) {
        if (firstDue.isAfter(now)) {
            throw new IllegalArgumentException("slot " + firstDue + " is not due at " + now);
        }
        Instant latest = firstDue;
        for (Duration back = Duration.ofSeconds(1); ; back = back.multipliedBy(2)) {
            Instant from = now.minus(back);
            if (!from.isAfter(firstDue)) {
                break;
            }
            Instant candidate = nextAfter(from);
            if (candidate != null && !candidate.isAfter(now)) {
                latest = candidate;
                break;
            }
        }
        for (Instant next = nextAfter(latest); next != null && !next.isAfter(now); next = nextAfter(latest)) {
            latest = next;
        }
        return latest;
    }
}
