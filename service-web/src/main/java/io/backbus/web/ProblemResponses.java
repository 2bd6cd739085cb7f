package io.backbus.web;

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

/**
 * Every error of a Backbus service as RFC 9457 {@code application/problem+json}: Spring's
 * {@link ResponseEntityExceptionHandler} for the framework's exceptions, a parameter that does not convert as 400
 * naming it ({@code parameter}), and a refused signed URL ({@link SignedUrlRefusedException}) as its own problem.
 *
 * <p>A service whose domain has errors of its own extends this class as its {@code @RestControllerAdvice} and adds
 * {@code @ExceptionHandler}s; a service without gets this one from {@link ServiceWebAutoConfiguration}.
 */
@RestControllerAdvice
public class ProblemResponses extends ResponseEntityExceptionHandler {

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

    /** 403 before anything was read; the content type is set, whatever the client accepts. */
    @ExceptionHandler(SignedUrlRefusedException.class)
    ResponseEntity<ProblemDetail> signedUrlRefused(SignedUrlRefusedException e) {
        return respond(e.getBody());
    }

    /** {@code problem} as the response: its status, content type {@code application/problem+json}. */
    public static ResponseEntity<ProblemDetail> respond(ProblemDetail problem) {
        return ResponseEntity.status(problem.getStatus()).contentType(MediaType.APPLICATION_PROBLEM_JSON).body(problem);
    }

    /** The response to a problem with request parameter {@code parameter}, which the problem names. */
    public static ResponseEntity<ProblemDetail> ofParameter(HttpStatus status, String parameter, String detail) {
        return respond(parameterProblem(status, parameter, detail));
    }

    static ProblemDetail parameterProblem(HttpStatus status, String parameter, String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
        problem.setProperty("parameter", parameter);
        return problem;
    }
}
