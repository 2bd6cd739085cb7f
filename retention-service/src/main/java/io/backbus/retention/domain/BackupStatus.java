package io.backbus.retention.domain;

/**
 * Life-cycle state of a cataloged backup. Only {@code AVAILABLE} exists so far; GFS expiry will add the states
 * of a backup on its way out (kept as text in the catalog so adding them needs no schema change).
 */
public enum BackupStatus {
    /** Stored, verified and restorable. */
    AVAILABLE
}
