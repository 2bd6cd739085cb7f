package io.backbus.uploader.domain;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/**
 * Where a run's objects live: {@code targets/<target>/<yyyy>/<MM>/<dd>/<runId>/artifact.enc} and
 * {@code .../manifest.json} beside it, dated by the dump's start in UTC, so a listing by target and day needs no
 * catalog.
 *
 * @param artifactKey key of the encrypted artifact
 * @param manifestKey key of its JSON manifest
 */
public record ObjectKeys(String artifactKey, String manifestKey) {

    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd").withZone(ZoneOffset.UTC);

    public static ObjectKeys of(String target, Instant dumpStartedAt, UUID runId) {
        String prefix = "targets/" + target + "/" + DAY.format(dumpStartedAt) + "/" + runId + "/";
        return new ObjectKeys(prefix + "artifact.enc", prefix + "manifest.json");
    }
}
