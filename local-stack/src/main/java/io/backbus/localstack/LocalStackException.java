package io.backbus.localstack;

/** Thrown when a local server (PostgreSQL, S3Mock, Kafka, a service) cannot be started, reached or stopped. */
public class LocalStackException extends RuntimeException {

    public LocalStackException(String message) {
        super(message);
    }

    public LocalStackException(String message, Throwable cause) {
        super(message, cause);
    }
}
