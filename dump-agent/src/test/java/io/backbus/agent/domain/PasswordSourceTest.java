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
}
