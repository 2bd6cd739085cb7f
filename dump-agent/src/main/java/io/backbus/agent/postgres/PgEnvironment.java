package io.backbus.agent.postgres;

import io.backbus.agent.domain.PasswordSource;
import io.backbus.agent.tools.ChildEnvironment;

/** The environment of every PostgreSQL client tool the agent runs (pg_dump, pg_restore, psql). */
public final class PgEnvironment {

    private PgEnvironment() {
    }

    /**
     * Inherited {@code PG*} variables are dropped so that only this target's settings reach libpq; messages are
     * kept in English so failures can be classified; a connection attempt is bounded; the password arrives only
     * here ({@code PGPASSWORD} or {@code PGPASSFILE}) and is masked in anything shown.
     */
    public static ChildEnvironment of(PasswordSource.ChildCredentials credentials) {
        return ChildEnvironment.inherited().dropping("PG").with("LC_ALL", "C").with("LC_MESSAGES", "C")
                .with("PGCONNECT_TIMEOUT", "10").with(credentials.environment()).masking(credentials.secrets());
    }
}
