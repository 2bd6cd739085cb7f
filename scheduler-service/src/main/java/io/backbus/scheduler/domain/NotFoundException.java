package io.backbus.scheduler.domain;

import java.util.UUID;

/** No plan or run with the requested id. */
public class NotFoundException extends RuntimeException {

    private NotFoundException(String message) {
        super(message);
    }

    public static NotFoundException plan(UUID id) {
        return new NotFoundException("no plan with id " + id);
    }

    public static NotFoundException run(UUID id) {
        return new NotFoundException("no run with id " + id);
    }
}
