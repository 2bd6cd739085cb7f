package io.backbus.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Refuses a request whose query or form parameters hold control characters (below U+0020, or U+007F) with a 400
 * problem naming the parameter: no parameter of any endpoint has a use for them, a NUL cannot be stored in
 * PostgreSQL text (it was a 500), and a line break in a logged value forges log lines.
 */
public class ParameterCharacterFilter extends OncePerRequestFilter {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        for (Map.Entry<String, String[]> parameter : request.getParameterMap().entrySet()) {
            String name = parameter.getKey();
            boolean bad = hasControlCharacter(name);
            for (String value : parameter.getValue()) {
                bad |= hasControlCharacter(value);
            }
            if (bad) {
                String safeName = name.codePoints().map(c -> c < 0x20 || c == 0x7f ? '?' : c)
                        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
                        .toString();
                Map<String, Object> problem = new LinkedHashMap<>();
                problem.put("type", "about:blank");
                problem.put("title", "Invalid parameter");
                problem.put("status", HttpStatus.BAD_REQUEST.value());
                problem.put("detail", "Parameter '" + safeName + "' must not contain control characters");
                problem.put("instance", request.getRequestURI());
                problem.put("parameter", safeName);
                response.setStatus(HttpStatus.BAD_REQUEST.value());
                response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
                response.setCharacterEncoding(StandardCharsets.UTF_8.name());
                response.getWriter().write(JSON.writeValueAsString(problem));
                return;
            }
        }
        chain.doFilter(request, response);
    }

    static boolean hasControlCharacter(String s) {
        if (s == null) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                return true;
            }
        }
        return false;
    }
}
