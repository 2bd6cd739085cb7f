package io.backbus.retention.rebuild;

import io.backbus.contracts.Stored;
import io.backbus.delivery.EventCodec;
import io.backbus.delivery.MalformedEventException;
import io.backbus.repository.ObjectStoreException;
import io.backbus.repository.manifest.InvalidManifestException;
import io.backbus.repository.manifest.ManifestFormat;
import io.backbus.repository.manifest.ManifestSource;
import io.backbus.retention.domain.BackupCatalog;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebuilds the catalog from the manifests in the bucket (after the catalog database was lost): every manifest
 * the uploader wrote holds every field of its Stored event ({@link ManifestFormat}), so each one goes through the
 * same {@link BackupCatalog#record} as the event would have, and yields the same row. Idempotent: a run or backup id
 * already cataloged is left alone. A manifest that is not valid is counted and named, never fatal; a failing
 * object store stops the rebuild ({@link RebuildFailedException}).
 */
public class CatalogRebuild {

    /** A manifest is a few KiB; anything much larger is not one. */
    static final int MAX_MANIFEST_BYTES = 1024 * 1024;

    private static final Logger log = LoggerFactory.getLogger(CatalogRebuild.class);

    private final ManifestSource source;
    private final BackupCatalog catalog;
    private final EventCodec codec;

    public CatalogRebuild(ManifestSource source, BackupCatalog catalog, EventCodec codec) {
        this.source = source;
        this.catalog = catalog;
        this.codec = codec;
    }

    public RebuildResult rebuild() {
        Counts counts = new Counts();
        try {
            List<String> keys = source.manifestKeys();
            counts.scanned = keys.size();
            for (String key : keys) {
                catalogOne(key, counts);
            }
        } catch (ObjectStoreException e) {
            RebuildResult partial = counts.result();
            log.info("AUDIT catalog rebuild from {} FAILED after scanned={} added={} alreadyCataloged={} "
                    + "invalid={}: {}", source.location(), partial.scanned(), partial.added(),
                    partial.alreadyCataloged(), partial.invalid().size(), e.getMessage());
            throw new RebuildFailedException(source.location(), partial, e);
        }
        RebuildResult result = counts.result();
        log.info("AUDIT catalog rebuild from {}: scanned={} added={} alreadyCataloged={} invalid={}{}",
                source.location(), result.scanned(), result.added(), result.alreadyCataloged(),
                result.invalid().size(), result.invalid().isEmpty() ? ""
                        : " " + result.invalid().stream().map(RebuildResult.Invalid::key).toList());
        return result;
    }

    private void catalogOne(String key, Counts counts) throws ObjectStoreException {
        Stored stored;
        try {
            Optional<byte[]> bytes = source.read(key, MAX_MANIFEST_BYTES);
            if (bytes.isEmpty()) {
                counts.invalid(key, "deleted before it could be read");
                return;
            }
            stored = parse(key, bytes.get());
        } catch (InvalidManifest | ManifestSource.ManifestTooLargeException e) {
            counts.invalid(key, e.getMessage());
            return;
        }
        if (catalog.isCataloged(stored.runId(), stored.backupId())) {
            counts.alreadyCataloged++;
        } else if (catalog.record(stored)) {
            counts.added++;
        } else {
            counts.alreadyCataloged++; // cataloged meanwhile (by the Stored consumer or another rebuild)
        }
    }

    /** The manifest as the Stored event it copies, or why it is not a valid one. */
    Stored parse(String key, byte[] bytes) {
        try {
            ManifestFormat.read(bytes); // a manifest, of a kind and version this version understands
        } catch (InvalidManifestException e) {
            throw new InvalidManifest(e.getMessage());
        }
        Stored stored;
        try {
            // the same decoder and schema (so the same leniency) as the Stored consumer
            stored = codec.decode(bytes, Stored.class);
        } catch (MalformedEventException e) {
            throw new InvalidManifest(e.getMessage().replace("Stored body", "manifest"));
        }
        if (!key.equals(stored.manifestKey())) {
            throw new InvalidManifest("manifestKey \"" + stored.manifestKey() + "\" is not where it is stored");
        }
        return stored;
    }

    /** Why a manifest is skipped. */
    static final class InvalidManifest extends RuntimeException {
        InvalidManifest(String reason) {
            super(reason);
        }
    }

    private static final class Counts {
        int scanned;
        int added;
        int alreadyCataloged;
        final List<RebuildResult.Invalid> invalid = new ArrayList<>();

        void invalid(String key, String reason) {
            log.warn("Catalog rebuild: skipping {}: {}", key, reason);
            invalid.add(new RebuildResult.Invalid(key, reason));
        }

        RebuildResult result() {
            return new RebuildResult(scanned, added, alreadyCataloged, List.copyOf(invalid));
        }
    }
}
