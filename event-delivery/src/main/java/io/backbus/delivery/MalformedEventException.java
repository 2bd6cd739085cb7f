package io.backbus.delivery;

/**
 * A record that can never be processed as it is (bad headers, unparsable or incomplete body). It is not retried:
 * it goes straight to the dead-letter topic with this message as the reason.
 */
public class MalformedEventException extends RuntimeException {

    public MalformedEventException(String message) {
        super(message);
    }

    public MalformedEventException(String message, Throwable cause) {
        super(message, cause);
    }
}
