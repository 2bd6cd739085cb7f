package io.backbus.web;

import org.springframework.http.HttpStatus;
import org.springframework.web.ErrorResponseException;

/**
 * A signed URL the {@link SignedUrlGate} refused: its problem (status, detail, the refused {@code parameter}) is the
 * response. An {@link ErrorResponseException}, so any {@code ResponseEntityExceptionHandler} renders it.
 */
public final class SignedUrlRefusedException extends ErrorResponseException {

    SignedUrlRefusedException(HttpStatus status, String parameter, String detail) {
        super(status, ProblemResponses.parameterProblem(status, parameter, detail), null);
    }

    /** Refusals are routine (expired links, probes): no stack trace to fill. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
