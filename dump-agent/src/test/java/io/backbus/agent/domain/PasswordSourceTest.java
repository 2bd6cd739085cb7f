package io.backbus.agent.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PasswordSourceTest {

    @Test
    void handsAnEnvironmentPasswordToTheChildAsPgpassword() {
        var credentials = new PasswordSource.FromEnvironment("ORDERS_PW").resolve(Map.of("ORDERS_PW", "s3cret")::get);

        assertThat(credentials.environment()).containsExactly(Map.entry("PGPASSWORD", "s3cret"));
        assertThat(credentials.secrets()).containsExactly("s3cret");
        assertThat(credentials.toString()).doesNotContain("s3cret");
    }

    @Test
    void failsClearlyWithoutNamingAPasswordWhenTheVariableIsUnset() {
        assertThatThrownBy(() -> new PasswordSource.FromEnvironment("ORDERS_PW").resolve(name -> null))
                .isInstanceOf(CredentialsUnavailableException.class)
                .hasMessage("environment variable ORDERS_PW (named by password-env) is not set");
    }

    @Test
    void pointsLibpqAtThePassfileAndKnowsItsPasswordsForScrubbing(@TempDir Path dir) throws IOException {
        Path pgpass = dir.resolve("pgpass");
        Files.writeString(pgpass, """
                # comment
                db1:5432:orders:backup:pa\\:ss\\\\word
                *:*:*:other:plain
                broken-line
                """);

        var credentials = new PasswordSource.FromPassfile(pgpass).resolve(name -> null);

        assertThat(credentials.environment()).containsExactly(Map.entry("PGPASSFILE", pgpass.toString()));
        assertThat(credentials.secrets()).containsExactly("pa:ss\\word", "plain");
    }

    @Test
    void picksTheFirstMatchingPassfileLineForTheAgentsOwnSessionLikeLibpq(@TempDir Path dir) throws IOException {
        Path pgpass = dir.resolve("pgpass");
        Files.writeString(pgpass, """
                # comment
                db1:5432:orders:backup:wrong\\port
                db1:5433:other:backup:wrong-db
                db1:5433:orders:backup:pa\\:ss
                *:*:*:backup:fallback
                """);
        PasswordSource source = new PasswordSource.FromPassfile(pgpass);
        DumpTarget orders = new DumpTarget("orders", "db1", 5433, "orders", "backup", source);
        DumpTarget elsewhere = new DumpTarget("x", "db2", 5432, "x", "backup", source);
        DumpTarget nobody = new DumpTarget("x", "db2", 5432, "x", "nobody", source);

        assertThat(source.jdbcPassword(orders, source.resolve(name -> null))).isEqualTo("pa:ss");
        assertThat(source.jdbcPassword(elsewhere, source.resolve(name -> null))).isEqualTo("fallback");
        assertThat(source.jdbcPassword(nobody, source.resolve(name -> null))).isNull();
    }

    @Test
    void givesTheAgentsOwnSessionTheVariablesPassword() {
        PasswordSource source = new PasswordSource.FromEnvironment("ORDERS_PW");
        DumpTarget orders = new DumpTarget("orders", "db1", 5433, "orders", "backup", source);

        assertThat(source.jdbcPassword(orders, source.resolve(Map.of("ORDERS_PW", "s3cret")::get)))
                .isEqualTo("s3cret");
    }

    @Test
    void quotesIdentifiersOfCountedTables() {
        assertThat(RowCountSnapshot.quote("Weird \"Name\"")).isEqualTo("\"Weird \"\"Name\"\"\"");
    }
}
