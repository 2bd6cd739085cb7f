package io.backbus.agent.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class DatabaseNameTest {

    @Test
    void quotesAnyLegalNameAsIdentifierAndAsConnectionStringValue() {
        DatabaseName name = new DatabaseName("it's \"odd\" = \\x");

        assertThat(name.identifier()).isEqualTo("\"it's \"\"odd\"\" = \\x\"");
        assertThat(name.conninfoValue()).isEqualTo("'it\\'s \"odd\" = \\\\x'");
        assertThat(name).hasToString("\"it's \"odd\" = \\x\"");
    }

    @Test
    void acceptsSixtyThreeBytesAndNoMore() {
        assertThat(DatabaseName.problem("a".repeat(63))).isEmpty();
        assertThat(DatabaseName.problem("ä".repeat(31) + "a")).as("63 bytes in 32 characters").isEmpty();
        assertThat(DatabaseName.problem("ä".repeat(32))).contains("the destination database name is 64 bytes "
                + "long; PostgreSQL identifiers hold at most 63 bytes");
    }

    @Test
    void refusesNulEmptyAndTemplateDatabases() {
        assertThat(DatabaseName.problem("a\0b")).contains("the destination database name contains a NUL "
                + "character, which PostgreSQL identifiers cannot hold");
        assertThat(DatabaseName.problem("")).contains("the destination database name is empty");
        assertThat(DatabaseName.problem(null)).contains("the destination database name is empty");
        assertThat(DatabaseName.problem("template1")).contains("refusing to restore into the template database "
                + "template1");
        assertThatThrownBy(() -> new DatabaseName("template0")).isInstanceOf(IllegalArgumentException.class);
    }
}
