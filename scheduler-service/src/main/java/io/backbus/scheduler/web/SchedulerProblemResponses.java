package io.backbus.scheduler.web;

import io.backbus.scheduler.domain.BackupNotRestorableException;
import io.backbus.scheduler.domain.CatalogUnavailableException;
import io.backbus.scheduler.domain.FieldProblem;
import io.backbus.scheduler.domain.InvalidPlanException;
import io.backbus.scheduler.domain.InvalidRestoreException;
import io.backbus.scheduler.domain.NotFoundException;
import io.backbus.web.ProblemResponses;
import java.util.List;
import java.util.Map;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * The shared problem+json responses, plus the scheduler's own errors. A refused plan or restore lists every
 * offending field in {@code errors: [{field, message}]} and names them in {@code detail} (a body that does not bind
 * names the field: unknown, or of the wrong type or format); an unknown id is 404, a
 * backup that is no longer AVAILABLE 409, an unreachable catalog 503.
 */
@RestControllerAdvice
class SchedulerProblemResponses extends ProblemResponses {

    @ExceptionHandler(InvalidPlanException.class)
    ProblemDetail invalidPlan(InvalidPlanException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "invalid plan: " + e.getMessage());
        problem.setTitle("Invalid plan");
        problem.setProperty("errors", errors(e.problems()));
        return problem;
    }

    @ExceptionHandler(InvalidRestoreException.class)
    ProblemDetail invalidRestore(InvalidRestoreException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "invalid restore: " + e.getMessage());
        problem.setTitle("Invalid restore");
        problem.setProperty("errors", errors(e.problems()));
        return problem;
    }

    /** The backup exists but is not AVAILABLE (expired): 409, naming its status. */
    @ExceptionHandler(BackupNotRestorableException.class)
    ProblemDetail notRestorable(BackupNotRestorableException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.CONFLICT, e.getMessage());
        problem.setTitle("Backup not restorable");
        problem.setProperty("backupId", e.backupId());
        problem.setProperty("backupStatus", e.status());
        return problem;
    }

    @ExceptionHandler(CatalogUnavailableException.class)
    ProblemDetail catalogUnavailable(CatalogUnavailableException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
                "the backup catalog (retention-service) is unavailable, nothing was requested: " + e.getMessage());
        problem.setTitle("Catalog unavailable");
        return problem;
    }

    @ExceptionHandler(NotFoundException.class)
    ProblemDetail notFound(NotFoundException e) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.NOT_FOUND, e.getMessage());
        problem.setTitle("Not found");
        return problem;
    }

    @Override
    protected ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException e,
            HttpHeaders headers, HttpStatusCode status, WebRequest request) {
        String field = fieldOf(e);
        ProblemDetail problem;
        if (field == null) {
            problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                    "the request body is missing or is not valid JSON");
            problem.setProperty("errors", errors(List.of(new FieldProblem("body", "not valid JSON"))));
        } else if (unknownField(e)) {
            problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                    "invalid request body: unknown field " + field);
            problem.setProperty("errors", errors(List.of(new FieldProblem(field, "unknown field"))));
        } else {
            problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                    "invalid request body: " + field + " has a value of the wrong type or format");
            problem.setProperty("errors", errors(List.of(new FieldProblem(field, "wrong type or format"))));
        }
        problem.setTitle("Malformed request");
        return handleExceptionInternal(e, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    private static boolean unknownField(HttpMessageNotReadableException e) {
        for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof UnrecognizedPropertyException) {
                return true;
            }
        }
        return false;
    }

    /** The JSON path of a value that could not be bound ({@code restoreTest.jobs}, {@code smokeQueries[0]}). */
    private static String fieldOf(HttpMessageNotReadableException e) {
        for (Throwable t = e.getCause(); t != null && t != t.getCause(); t = t.getCause()) {
            if (t instanceof JacksonException jackson && !jackson.getPath().isEmpty()) {
                StringBuilder path = new StringBuilder();
                for (JacksonException.Reference ref : jackson.getPath()) {
                    if (ref.getPropertyName() != null) {
                        path.append(path.isEmpty() ? "" : ".").append(ref.getPropertyName());
                    } else if (ref.getIndex() >= 0) {
                        path.append('[').append(ref.getIndex()).append(']');
                    }
                }
                return path.isEmpty() ? null : path.toString();
            }
        }
        return null;
    }

    private static List<Map<String, String>> errors(List<FieldProblem> problems) {
        return problems.stream().map(p -> Map.of("field", p.field(), "message", p.message())).toList();
    }
}
