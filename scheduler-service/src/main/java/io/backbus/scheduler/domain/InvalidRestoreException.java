package io.backbus.scheduler.domain;

import java.util.List;
import java.util.stream.Collectors;

/** A restore request was refused; nothing was stored or published. */
public class InvalidRestoreException extends RuntimeException {

    private final List<FieldProblem> problems;

    public InvalidRestoreException(List<FieldProblem> problems) {
        super(problems.stream().map(p -> p.field() + ": " + p.message()).collect(Collectors.joining("; ")));
        this.problems = List.copyOf(problems);
    }

    public List<FieldProblem> problems() {
        return problems;
    }
}
