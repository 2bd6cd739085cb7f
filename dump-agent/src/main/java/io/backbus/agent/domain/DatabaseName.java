package io.backbus.agent.domain;

import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

/**
 * The name of a restore's destination database, as an event carries it, checked to be usable as a PostgreSQL
 * identifier. It is only ever put into SQL as a double-quoted identifier and into a libpq connection string as a
 * single-quoted value, so any other character (spaces, quotes, {@code =}) is safe.
 *
 * @param name the database name
 */
public record DatabaseName(String name) {

    /** PostgreSQL's NAMEDATALEN - 1: longer names are silently truncated by the server, so they are refused. */
    static final int MAX_BYTES = 63;
    /** Restoring into these would change every database created afterwards, or cannot work at all. */
    private static final Set<String> REFUSED = Set.of("template0", "template1");

    public DatabaseName {
        Optional<String> problem = problem(name);
        if (problem.isPresent()) {
            throw new IllegalArgumentException(problem.get());
        }
    }

    /** Why {@code name} cannot be a destination database, if it cannot. */
    public static Optional<String> problem(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("the destination database name is empty");
        }
        if (name.indexOf('\0') >= 0) {
            return Optional.of("the destination database name contains a NUL character, which PostgreSQL "
                    + "identifiers cannot hold");
        }
        int bytes = name.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_BYTES) {
            return Optional.of("the destination database name is " + bytes + " bytes long; PostgreSQL identifiers "
                    + "hold at most " + MAX_BYTES + " bytes");
        }
        if (REFUSED.contains(name)) {
            return Optional.of("refusing to restore into the template database " + name);
        }
        return Optional.empty();
    }

    /** The name as a double-quoted SQL identifier ({@code "a ""b"""}). */
    public String identifier() {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /** The name as a single-quoted libpq connection-string value ({@code 'it\'s'}). */
    public String conninfoValue() {
        return conninfoQuote(name);
    }

    /** Any value single-quoted for a libpq connection string: {@code \} and {@code '} escaped with {@code \}. */
    public static String conninfoQuote(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    /** The name as messages show it: double-quoted, as PostgreSQL's own messages do. */
    @Override
    public String toString() {
        return "\"" + name + "\"";
    }
}
