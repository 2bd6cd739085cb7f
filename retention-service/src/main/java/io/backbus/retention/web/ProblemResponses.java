package io.backbus.retention.web;

import io.backbus.retention.rebuild.RebuildFailedException;
import org.springframework.beans.TypeMismatchException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/** Every error as RFC 9457 {@code application/problem+json}, naming the offending parameter. */
@RestControllerAdvice
class ProblemResponses extends ResponseEntityExceptionHandler {

    @Override
    protected ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
            HttpStatusCode status, WebRequest request) {
        String name = ex instanceof MethodArgumentTypeMismatchException m ? m.getName() : ex.getPropertyName();
        String expected = ex.getRequiredType() == null ? "a valid value" : switch (ex.getRequiredType().getSimpleName()) {
            case "UUID" -> "a UUID";
            default -> "a " + ex.getRequiredType().getSimpleName();
        };
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST,
                "Parameter '" + name + "' must be " + expected);
        problem.setTitle("Invalid parameter");
        problem.setProperty("parameter", name);
        return handleExceptionInternal(ex, problem, headers, HttpStatus.BAD_REQUEST, request);
    }

    /**
     * The object store failed during a catalog rebuild: 503 if it could not be reached, 502 if it answered with an
     * error (no such bucket, access denied). Says what was added before, which stays.
     */
    @ExceptionHandler(RebuildFailedException.class)
    ResponseEntity<ProblemDetail> rebuildFailed(RebuildFailedException e) {
        HttpStatus status = e.unreachable() ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.BAD_GATEWAY;
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, "Catalog rebuild failed: " + e.getMessage()
                + ". Added " + e.partial().added() + " backup(s) before the failure; they stay. Run the rebuild "
                + "again once the object store answers.");
        problem.setTitle(e.unreachable() ? "Object store unreachable" : "Object store error");
        problem.setProperty("location", e.location());
        problem.setProperty("added", e.partial().added());
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }
}
