package io.backbus.agent.domain;

/**
 * A database this agent can dump, known to the rest of the system by {@code name} only.
 *
 * @param name           the target's name (what events carry)
 * @param host           database host
 * @param port           database port
 * @param database       database name
 * @param user           login role
 * @param passwordSource where pg_dump gets the password from
 * @param kind           which {@link TargetDumper} backs it up ({@value #POSTGRES} unless configured)
 */
public record DumpTarget(String name, String host, int port, String database, String user,
        PasswordSource passwordSource, String kind) {

    /** The kind of a target that says none: a PostgreSQL logical dump. */
    public static final String POSTGRES = "postgres";

    public DumpTarget {
        kind = kind == null || kind.isBlank() ? POSTGRES : kind;
    }

    /** A PostgreSQL target. */
    public DumpTarget(String name, String host, int port, String database, String user,
            PasswordSource passwordSource) {
        this(name, host, port, database, user, passwordSource, POSTGRES);
    }

    @Override
    public String toString() {
        return "DumpTarget[" + name + " (" + kind + ") = " + user + "@" + host + ":" + port + "/" + database + "]";
    }
}
