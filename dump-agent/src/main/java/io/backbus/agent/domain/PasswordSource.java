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
