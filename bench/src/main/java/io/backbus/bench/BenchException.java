package io.backbus.bench;

/** A benchmark that cannot go on; reported as one line. */
final class BenchException extends RuntimeException {

    BenchException(String message) {
        super(message);
    }

    BenchException(String message, Throwable cause) {
        super(message, cause);
    }
}
