package io.backbus.web.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import tools.jackson.databind.json.JsonMapper;

/**
 * The refusals of the security filters as RFC 9457 {@code application/problem+json}, shaped like the problems
 * {@link io.backbus.web.ProblemResponses} renders: 401 (no, or an unknown, invalid or expired token) with
 * {@code WWW-Authenticate: Bearer}, 403 (a valid token without the role) naming the role the request needs. The
 * detail never contains the token or a claim of it.
 */
final class ApiProblems implements AuthenticationEntryPoint, AccessDeniedHandler, RequestRejectedHandler {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Override
    public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException e)
            throws IOException {
        String authorization = request.getHeader("Authorization");
        boolean presented = authorization != null && !authorization.isBlank();
        String detail = presented ? "the credentials are unknown, invalid or expired (send Authorization: Bearer <token>)"
                : "authentication required: send Authorization: Bearer <token>";
        response.setHeader("WWW-Authenticate", presented
                ? "Bearer error=\"invalid_token\", error_description=\"" + detail + "\"" : "Bearer");
        write(request, response, unauthorized(detail));
    }

    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException e)
            throws IOException {
        ApiRole required = e instanceof AuthorizationDeniedException denied
                && denied.getAuthorizationResult() instanceof RoleRule.Denied d ? d.required() : null;
        write(request, response, forbidden(required));
    }

    /**
     * A request Spring Security's firewall refuses (an encoded ';', '%' or '/', a '..' segment, a control character
     * in the path or a header): 400 problem+json naming the path, instead of Spring Boot's plain JSON error page.
     */
    @Override
    public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException e)
            throws IOException {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, "the request was refused: "
                + "its path or a header holds a character or sequence that is not allowed (';', '..', an encoded "
                + "'/', '%' or control character)");
        problem.setTitle("Bad Request");
        problem.setProperty("parameter", "path");
        write(request, response, problem);
    }

    static ProblemDetail unauthorized(String detail) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.UNAUTHORIZED, detail);
        problem.setTitle("Unauthorized");
        return problem;
    }

    /** 403 naming the role needed; {@code required} null: no rule admits the request at all. */
    static ProblemDetail forbidden(ApiRole required) {
        ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.FORBIDDEN, required == null
                ? "no role may make this request" : "this request needs the role '" + required.wireName() + "'");
        problem.setTitle("Forbidden");
        if (required != null) {
            problem.setProperty("requiredRole", required.wireName());
        }
        return problem;
    }

    private static void write(HttpServletRequest request, HttpServletResponse response, ProblemDetail problem)
            throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        if (problem.getType() != null) {
            body.put("type", problem.getType().toString());
        }
        body.put("title", problem.getTitle());
        body.put("status", problem.getStatus());
        body.put("detail", problem.getDetail());
        body.put("instance", request.getRequestURI());
        if (problem.getProperties() != null) {
            body.putAll(problem.getProperties());
        }
        response.setStatus(problem.getStatus());
        response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
        response.getOutputStream().write(JSON.writeValueAsBytes(body));
    }
}
