package io.backbus.contracts;

/** Why a restore runs. */
public enum RestorePurpose {
    /** An operator asked for it ({@code POST /restores}, {@code backbus restore}). */
    MANUAL,
    /** A plan's restore test: into a scratch database, verified, timed against the plan's RTO target, dropped. */
    TEST
}
