package io.backbus.agent.domain;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Where pg_dump gets a target's password. Whatever the source, the password reaches pg_dump only through its
 * environment ({@code PGPASSWORD} or {@code PGPASSFILE}), never through its command line.
 */
public sealed interface PasswordSource {

    /**
     * The child-process environment entries that hand the password to libpq, and the secrets to scrub from any
     * text that leaves the agent.
     *
     * @param getenv reads this process's environment (injectable for tests)
     * @throws CredentialsUnavailableException when the configured source cannot provide a password
     */
    ChildCredentials resolve(Function<String, String> getenv);

    /**
     * The password the agent's own JDBC session (row counts) uses for {@code target}: the same one pg_dump gets —
     * the variable's value, or the first matching line of the passfile (or {@code ~/.pgpass}), as libpq picks it.
     * Null when there is none (the driver then tries without, e.g. for trust authentication).
     */
    default String jdbcPassword(DumpTarget target, ChildCredentials resolved) {
        if (this instanceof FromEnvironment) {
            return resolved.environment().get("PGPASSWORD");
        }
        if (this instanceof FromPassfile f) {
            return lookup(f.file(), target);
        }
        return lookup(Path.of(System.getProperty("user.home"), ".pgpass"), target);
    }

    /** The password is the value of environment variable {@code variable}. */
    record FromEnvironment(String variable) implements PasswordSource {
        @Override
        public ChildCredentials resolve(Function<String, String> getenv) {
            String password = getenv.apply(variable);
            if (password == null || password.isEmpty()) {
                throw new CredentialsUnavailableException("environment variable " + variable
                        + " (named by password-env) is not set");
            }
            return new ChildCredentials(Map.of("PGPASSWORD", password), List.of(password));
        }
    }

    /** libpq reads the password from this {@code .pgpass}-format file. */
    record FromPassfile(Path file) implements PasswordSource {
        @Override
        public ChildCredentials resolve(Function<String, String> getenv) {
            return new ChildCredentials(Map.of("PGPASSFILE", file.toString()), passwordsIn(file));
        }
    }

    /** Nothing configured: libpq falls back to {@code ~/.pgpass} (or trust/peer authentication). */
    record LibpqDefault() implements PasswordSource {
        @Override
        public ChildCredentials resolve(Function<String, String> getenv) {
            return new ChildCredentials(Map.of(), passwordsIn(Path.of(System.getProperty("user.home"), ".pgpass")));
        }
    }

    /**
     * @param environment entries to add to pg_dump's environment
     * @param secrets     strings that must never appear in a reason, a log line or an event
     */
    record ChildCredentials(Map<String, String> environment, List<String> secrets) {
        @Override
        public String toString() {
            return "ChildCredentials[" + environment.keySet() + ", " + secrets.size() + " secret(s)]";
        }
    }

    /**
     * The password of the first line of a {@code .pgpass} file matching host, port, database and user ({@code *}
     * matches anything; {@code \\} escapes {@code :} and {@code \\}), like libpq; null when none matches.
     */
    static String lookup(Path pgpass, DumpTarget target) {
        List<String> lines;
        try {
            if (!Files.isReadable(pgpass)) {
                return null;
            }
            lines = Files.readAllLines(pgpass, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return null;
        }
        List<String> wanted = List.of(target.host(), String.valueOf(target.port()), target.database(),
                target.user());
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            List<String> fields = new ArrayList<>();
            StringBuilder field = new StringBuilder();
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (c == '\\' && i + 1 < line.length()) {
                    field.append(line.charAt(++i));
                } else if (c == ':' && fields.size() < 4) {
                    fields.add(field.toString());
                    field.setLength(0);
                } else {
                    field.append(c);
                }
            }
            if (fields.size() != 4) {
                continue;
            }
            boolean matches = true;
            for (int i = 0; i < 4 && matches; i++) {
                matches = fields.get(i).equals("*") || fields.get(i).equals(wanted.get(i));
            }
            if (matches) {
                return field.toString();
            }
        }
        return null;
    }

    /**
     * The password fields of a {@code .pgpass} file ({@code host:port:database:user:password}, {@code \} escapes
     * {@code :} and {@code \}), best effort: they are only used to scrub text, libpq itself reads the file.
     */
    static List<String> passwordsIn(Path pgpass) {
        List<String> passwords = new ArrayList<>();
        List<String> lines;
        try {
            if (!Files.isReadable(pgpass)) {
                return passwords;
            }
            lines = Files.readAllLines(pgpass, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return passwords;
        }
        for (String line : lines) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int fields = 0;
            StringBuilder password = new StringBuilder();
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (fields < 4) {
                    if (c == '\\') {
                        i++;
                    } else if (c == ':') {
                        fields++;
                    }
                } else if (c == '\\' && i + 1 < line.length()) {
                    password.append(line.charAt(++i));
                } else {
                    password.append(c);
                }
            }
            if (fields == 4 && password.length() > 0) {
                passwords.add(password.toString());
            }
        }
        return passwords;
    }
}
