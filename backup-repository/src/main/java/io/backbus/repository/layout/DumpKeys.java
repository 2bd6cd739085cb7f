package io.backbus.repository.layout;

/**
 * Where a logical dump ({@code pg_dump}) lives: {@code targets/<target>/<yyyy>/<MM>/<dd>/<runId>/artifact.enc} and
 * {@code .../manifest.json} beside it, dated by the dump's start in UTC, so a listing by target and day needs no
 * catalog. Made by {@link RepositoryLayout#dump}.
 *
 * @param prefix      {@code targets/<target>/<yyyy>/<MM>/<dd>/<runId>/}
 * @param artifactKey key of the encrypted artifact
 * @param manifestKey key of its JSON manifest
 */
public record DumpKeys(String prefix, String artifactKey, String manifestKey) implements BackupKeys {
}
