package io.backbus.retention.web;

import io.backbus.retention.rebuild.RebuildFailedException;
import io.backbus.web.ProblemResponses;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/** The shared problem+json responses, plus a failed catalog rebuild. */
@RestControllerAdvice
class RetentionProblemResponses extends ProblemResponses {

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
        return respond(problem);
    }
}
