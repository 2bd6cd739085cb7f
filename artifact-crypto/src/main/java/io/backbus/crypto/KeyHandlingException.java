package io.backbus.crypto;

/**
 * Keys could not be read, written, generated or used. Its message names files and key ids, never key material.
 */
public class KeyHandlingException extends RuntimeException {

    public KeyHandlingException(String message) {
        super(message);
    }

    public KeyHandlingException(String message, Throwable cause) {
        super(message, cause);
    }
}
