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
 */
public record DumpTarget(String name, String host, int port, String database, String user,
        PasswordSource passwordSource) {

    @Override
    public String toString() {
        return "DumpTarget[" + name + " = " + user + "@" + host + ":" + port + "/" + database + "]";
    }
}
