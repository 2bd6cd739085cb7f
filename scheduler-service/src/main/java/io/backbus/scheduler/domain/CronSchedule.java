package io.backbus.scheduler.domain;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.zone.ZoneOffsetTransition;
import java.time.zone.ZoneRules;
import org.springframework.scheduling.support.CronExpression;

/**
 * When a plan fires: a cron expression evaluated on the wall clock of the plan's time zone. Accepts the standard
 * 5-field form (minute hour day-of-month month day-of-week), Spring's 6-field form with seconds first, and
 * Spring's macros ({@code @daily}, ...).
 *
 * <p>Daylight saving time is handled as Vixie cron does, because a backup must neither be lost nor doubled:
 * <ul>
 *   <li>a slot whose wall-clock time does not exist (02:30 on the spring-forward day in Europe/Berlin) fires when
 *       the gap ends (03:00 CEST) instead of being skipped, as plain Spring {@code CronExpression} would;</li>
 *   <li>a slot whose wall-clock time occurs twice (02:30 on the fall-back day) fires once, at its first
 *       occurrence, when the expression names its hours; an expression with a wildcard hour field ({@code *},
 *       {@code *}{@code /2}, {@code @hourly}) fires in both occurrences, as those are different real hours.</li>
 * </ul>
 */
public final class CronSchedule {

    /** How far ahead to look for a slot hidden in a DST gap when the expression has no regular slot left. */
    private static final Duration GAP_HORIZON = Duration.ofDays(3700);

    private final CronExpression cron;
    private final ZoneId zone;
    private final boolean wildcardHours;

    private CronSchedule(CronExpression cron, ZoneId zone, boolean wildcardHours) {
        this.cron = cron;
        this.zone = zone;
        this.wildcardHours = wildcardHours;
    }

    /** Parses both parts, failing with the first offending field ({@code cron} or {@code timeZone}). */
    public static CronSchedule of(String cron, String timeZone) {
        CronExpression expression = parseCron(cron);
        return new CronSchedule(expression, parseZone(timeZone), hasWildcardHours(cron.trim()));
    }

    private static boolean hasWildcardHours(String text) {
        if (text.startsWith("@")) {
            return text.equalsIgnoreCase("@hourly");
        }
        String[] fields = text.split("\\s+");
        String hours = fields.length == 5 ? fields[1] : fields[2];
        return hours.contains("*");
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
        Instant after = instant;
        while (true) {
            ZonedDateTime next = cron.next(after.atZone(zone));
            Instant gapEnd = endOfGapHidingASlot(after, next);
            if (gapEnd != null) {
                return gapEnd;
            }
            if (next == null) {
                return null;
            }
            if (!wildcardHours && isSecondOccurrence(next)) {
                after = next.toInstant();
                continue;
            }
            return next.toInstant();
        }
    }

    /**
     * The end of the first DST gap after {@code after} (and not after {@code next}, the next regular slot) whose
     * missing wall-clock times include a slot of the expression; null if there is none.
     */
    private Instant endOfGapHidingASlot(Instant after, ZonedDateTime next) {
        ZoneRules rules = zone.getRules();
        Instant horizon = next != null ? next.toInstant() : after.plus(GAP_HORIZON);
        for (ZoneOffsetTransition t = rules.nextTransition(after); t != null && !t.getInstant().isAfter(horizon);
                t = rules.nextTransition(t.getInstant())) {
            if (t.isGap()) {
                LocalDateTime hidden = cron.next(t.getDateTimeBefore().minusNanos(1));
                if (hidden != null && hidden.isBefore(t.getDateTimeAfter())) {
                    return t.getInstant();
                }
            }
        }
        return null;
    }

    /** Whether this is the second time its wall-clock time occurs (the hour repeated when clocks go back). */
    private boolean isSecondOccurrence(ZonedDateTime slot) {
        ZoneOffsetTransition t = zone.getRules().getTransition(slot.toLocalDateTime());
        return t != null && t.isOverlap() && slot.getOffset().equals(t.getOffsetAfter());
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
