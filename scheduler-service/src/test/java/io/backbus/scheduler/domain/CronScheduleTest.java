package io.backbus.scheduler.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CronScheduleTest {

    private static final String BERLIN = "Europe/Berlin";

    @Test
    void fiveFieldCronFiresAtSecondZeroLikeItsSixFieldForm() {
        CronSchedule five = CronSchedule.of("30 2 * * *", "UTC");
        CronSchedule six = CronSchedule.of("0 30 2 * * *", "UTC");
        Instant from = Instant.parse("2026-01-10T12:00:00Z");

        assertThat(five.nextAfter(from)).isEqualTo(Instant.parse("2026-01-11T02:30:00Z")).isEqualTo(six.nextAfter(from));
    }

    @Test
    void sixFieldCronHasSeconds() {
        CronSchedule everyTwoSeconds = CronSchedule.of("*/2 * * * * *", "UTC");

        assertThat(everyTwoSeconds.nextAfter(Instant.parse("2026-01-10T12:00:00.500Z")))
                .isEqualTo(Instant.parse("2026-01-10T12:00:02Z"));
    }

    @Test
    void macrosAreAccepted() {
        assertThat(CronSchedule.of("@daily", "UTC").nextAfter(Instant.parse("2026-01-10T12:00:00Z")))
                .isEqualTo(Instant.parse("2026-01-11T00:00:00Z"));
    }

    @Test
    void slotsAreOnTheWallClockOfThePlansZone() {
        CronSchedule winter = CronSchedule.of("0 2 * * *", BERLIN);

        assertThat(winter.nextAfter(Instant.parse("2026-01-10T12:00:00Z"))).isEqualTo(Instant.parse("2026-01-11T01:00:00Z"));
        assertThat(winter.nextAfter(Instant.parse("2026-07-10T12:00:00Z"))).isEqualTo(Instant.parse("2026-07-11T00:00:00Z"));
    }

    @Test
    void wrongNumberOfFieldsNamesTheCronField() {
        assertThatThrownBy(() -> CronSchedule.parseCron("* * * *"))
                .isInstanceOf(InvalidScheduleException.class)
                .hasMessageContaining("4 fields")
                .extracting(e -> ((InvalidScheduleException) e).field()).isEqualTo("cron");
        assertThatThrownBy(() -> CronSchedule.parseCron("0 0 * * * * 2026")).hasMessageContaining("7 fields");
    }

    @Test
    void outOfRangeValueIsRejected() {
        assertThatThrownBy(() -> CronSchedule.parseCron("61 * * * *"))
                .isInstanceOf(InvalidScheduleException.class)
                .hasMessageContaining("not a valid cron expression");
        assertThatThrownBy(() -> CronSchedule.parseCron("0 0 * * MONDAY")).isInstanceOf(InvalidScheduleException.class);
        assertThatThrownBy(() -> CronSchedule.parseCron("  ")).hasMessageContaining("blank");
    }

    @Test
    void unknownTimeZoneNamesTheTimeZoneField() {
        assertThatThrownBy(() -> CronSchedule.of("0 2 * * *", "Mars/Olympus_Mons"))
                .isInstanceOf(InvalidScheduleException.class)
                .hasMessageContaining("not a known time zone")
                .extracting(e -> ((InvalidScheduleException) e).field()).isEqualTo("timeZone");
        assertThatThrownBy(() -> CronSchedule.parseZone(null)).hasMessageContaining("blank");
    }

    @Test
    void dailySlotInTheSpringForwardGapFiresWhenTheGapEndsInsteadOfBeingSkipped() {
        // 2026-03-29 in Berlin: 02:00 CET jumps to 03:00 CEST, so 02:30 does not exist that day
        CronSchedule daily = CronSchedule.of("30 2 * * *", BERLIN);

        assertThat(slots(daily, "2026-03-27T12:00:00Z", 3)).containsExactly(
                Instant.parse("2026-03-28T01:30:00Z"),  // 02:30 CET
                Instant.parse("2026-03-29T01:00:00Z"),  // 03:00 CEST, the end of the gap
                Instant.parse("2026-03-30T00:30:00Z")); // 02:30 CEST
    }

    @Test
    void dailySlotInTheRepeatedFallBackHourFiresOnce() {
        // 2026-10-25 in Berlin: 03:00 CEST goes back to 02:00 CET, so 02:30 happens twice
        CronSchedule daily = CronSchedule.of("30 2 * * *", BERLIN);

        assertThat(slots(daily, "2026-10-23T12:00:00Z", 3)).containsExactly(
                Instant.parse("2026-10-24T00:30:00Z"),  // 02:30 CEST
                Instant.parse("2026-10-25T00:30:00Z"),  // 02:30 CEST, first occurrence only
                Instant.parse("2026-10-26T01:30:00Z")); // 02:30 CET
    }

    @Test
    void hourlyCronFiresEveryRealHourAcrossFallBackAndSpringForward() {
        CronSchedule hourly = CronSchedule.of("0 * * * *", BERLIN);

        // fall back: 02:00 CEST and 02:00 CET are different hours, both fire
        assertThat(slots(hourly, "2026-10-24T23:30:00Z", 3)).containsExactly(
                Instant.parse("2026-10-25T00:00:00Z"), Instant.parse("2026-10-25T01:00:00Z"),
                Instant.parse("2026-10-25T02:00:00Z"));
        // spring forward: 01:00 CET then 03:00 CEST, one real hour apart, no extra run for the missing 02:00
        assertThat(slots(hourly, "2026-03-28T23:30:00Z", 3)).containsExactly(
                Instant.parse("2026-03-29T00:00:00Z"), Instant.parse("2026-03-29T01:00:00Z"),
                Instant.parse("2026-03-29T02:00:00Z"));
    }

    @Test
    void everySlotOfTheFallBackDayIsDistinctAndIncreasing() {
        CronSchedule quarterHourly = CronSchedule.of("*/15 * * * *", BERLIN);

        List<Instant> day = slots(quarterHourly, "2026-10-24T22:00:00Z", 25 * 4);

        assertThat(day).doesNotHaveDuplicates().isSorted();
        assertThat(day.get(day.size() - 1)).isEqualTo(Instant.parse("2026-10-25T23:00:00Z"));
    }

    @Test
    void latestDueSkipsMissedSlotsToTheLatestOne() {
        CronSchedule everyMinute = CronSchedule.of("* * * * *", "UTC");
        Instant firstDue = Instant.parse("2026-01-01T00:00:00Z");
        Instant now = Instant.parse("2026-02-01T10:15:42Z"); // a month of missed slots

        assertThat(everyMinute.latestDue(firstDue, now)).isEqualTo(Instant.parse("2026-02-01T10:15:00Z"));
    }

    @Test
    void latestDueIsTheFirstDueSlotWhenNoLaterSlotIsDue() {
        CronSchedule daily = CronSchedule.of("0 3 * * *", "UTC");
        Instant firstDue = Instant.parse("2026-02-01T03:00:00Z");

        assertThat(daily.latestDue(firstDue, Instant.parse("2026-02-01T03:00:00.400Z"))).isEqualTo(firstDue);
        assertThat(daily.latestDue(firstDue, Instant.parse("2026-02-01T03:00:00Z"))).isEqualTo(firstDue);
        assertThat(daily.latestDue(firstDue, Instant.parse("2026-02-03T02:59:59Z")))
                .isEqualTo(Instant.parse("2026-02-02T03:00:00Z"));
    }

    @Test
    void latestDueKeepsADueTimeThatIsNotASlotOfTheExpression() {
        CronSchedule yearly = CronSchedule.of("0 0 1 1 *", "UTC");
        Instant firstDue = Instant.parse("2026-05-05T05:05:05Z");

        assertThat(yearly.latestDue(firstDue, Instant.parse("2026-05-05T05:05:06Z"))).isEqualTo(firstDue);
    }

    private static List<Instant> slots(CronSchedule schedule, String from, int count) {
        List<Instant> slots = new ArrayList<>();
        Instant t = Instant.parse(from);
        for (int i = 0; i < count; i++) {
            t = schedule.nextAfter(t);
            slots.add(t);
        }
        return slots;
    }
}
