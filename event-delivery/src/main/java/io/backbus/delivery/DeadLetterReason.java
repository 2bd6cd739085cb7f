package io.backbus.delivery;

import org.springframework.kafka.listener.ListenerExecutionFailedException;

/** The reason written on a dead-lettered record: the most specific message in the failure's cause chain. */
final class DeadLetterReason {

    static String of(Throwable failure) {
        Throwable cause = failure;
        while (cause instanceof ListenerExecutionFailedException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof MalformedEventException) {
                return "malformed event: " + t.getMessage();
            }
        }
        Throwable root = cause;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? "" : ": " + root.getMessage();
        return root.getClass().getSimpleName() + message;
    }

    private DeadLetterReason() {
    }
}
