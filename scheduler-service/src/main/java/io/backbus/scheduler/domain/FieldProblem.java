package io.backbus.scheduler.domain;

/**
 * One thing wrong with a request.
 *
 * @param field   the request field, as the client named it
 * @param message what is wrong with it
 */
public record FieldProblem(String field, String message) {
}
