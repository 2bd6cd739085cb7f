package io.backbus.cli;

/** A failure the CLI reports to the operator as one clear line, without a stack trace. */
final class CliException extends RuntimeException {

    CliException(String message) {
        super(message);
    }

    CliException(String message, Throwable cause) {
        super(message, cause);
    }
}
