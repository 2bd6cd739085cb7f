package io.backbus.contracts;

/**
 * Where a restore goes: a database on the PostgreSQL server of a target that some agent serves. The agent resolves
 * the target's host, port, user and password locally; only names travel.
 *
 * @param agentId  the agent that runs {@code pg_restore}
 * @param target   a target that agent serves (its server and credentials are used)
 * @param database the database to restore into on that server; may differ from the target's own database
 */
public record RestoreDestination(String agentId, String target, String database) {
}
