package io.backbus.scheduler.domain;

/**
 * The catalog could not be asked (down, timed out) or answered something unusable (5xx, malformed). The message
 * says what happened and holds no URL, so it can be shown and logged.
 */
public class CatalogUnavailableException extends RuntimeException {

    public CatalogUnavailableException(String message) {
        super(message);
    }

    public CatalogUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
