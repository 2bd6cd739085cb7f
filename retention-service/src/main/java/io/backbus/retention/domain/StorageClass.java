package io.backbus.retention.domain;

/** S3 storage class of a stored artifact; age tiering moves backups down this list. */
public enum StorageClass {
    STANDARD,
    STANDARD_IA,
    GLACIER
}
