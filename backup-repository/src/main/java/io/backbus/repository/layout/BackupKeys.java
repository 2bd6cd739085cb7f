package io.backbus.repository.layout;

/**
 * The keys of one stored backup: its data object and the manifest that describes it, side by side under one
 * prefix. One implementation per kind of artifact, each made by {@link RepositoryLayout} only; a new kind (a
 * physical base backup, a file archive) is a new record here, so a key is never spelled anywhere else.
 */
public sealed interface BackupKeys permits DumpKeys {

    /** The common prefix of the backup's objects, ending in {@code /}. */
    String prefix();

    /** Key of the encrypted data object; also its encryption's associated data, so it never changes. */
    String artifactKey();

    /** Key of the JSON manifest beside it. */
    String manifestKey();
}
