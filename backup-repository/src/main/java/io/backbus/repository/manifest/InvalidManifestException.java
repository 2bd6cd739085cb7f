package io.backbus.repository.manifest;

/** Bytes that are not a manifest this version understands; the message says why, without the key. */
public class InvalidManifestException extends Exception {

    InvalidManifestException(String reason) {
        super(reason, null, false, false);
    }
}
