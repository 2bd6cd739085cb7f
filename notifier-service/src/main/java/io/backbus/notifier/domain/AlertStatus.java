package io.backbus.notifier.domain;

/** Where an alert is in its delivery. */
public enum AlertStatus {
    /** Waiting for its next delivery attempt (or for a channel to be configured). */
    PENDING,
    /** A channel accepted it. */
    DELIVERED,
    /** Every attempt failed; it stays here for operators to see. */
    GAVE_UP
}
