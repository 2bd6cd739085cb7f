package io.backbus.scheduler.domain;

/** A cron expression or time zone that cannot be used; {@link #field()} names the offending input. */
public class InvalidScheduleException extends RuntimeException {

    private final String field;

    public InvalidScheduleException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
