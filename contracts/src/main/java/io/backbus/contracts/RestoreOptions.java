package io.backbus.contracts;

/**
 * How to restore.
 *
 * @param clean           replace what the destination holds ({@code pg_restore --clean --if-exists}); without it a
 *                        destination that already has tables is refused before anything is written
 * @param createDatabase  create the destination database if it does not exist (refused otherwise)
 * @param jobs            parallel {@code pg_restore -j} jobs, at least 1
 * @param dropAfterVerify drop the destination database once verified (restore tests into a scratch database)
 */
public record RestoreOptions(boolean clean, boolean createDatabase, int jobs, boolean dropAfterVerify) {
}
