package io.backbus.agent.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.BeanCreationException;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.io.support.SpringFactoriesLoader;

class AgentSettingFailureAnalyzerTest {

    @Test
    void isRegisteredWithSpringBoot() {
        // other analyzers need a bean factory to be instantiated: skip those
        assertThat(SpringFactoriesLoader.forDefaultResourceLocation().load(FailureAnalyzer.class,
                (type, name, failure) -> { }))
                .hasAtLeastOneElementOfType(AgentSettingFailureAnalyzer.class);
    }

    @Test
    void namesTheBadSettingBuriedInBeanCreationErrors() {
        var cause = new IllegalStateException("backbus.agent.staging-dir /srv/x is not a writable directory");
        var failure = new BeanCreationException("backupService", "wrapped", new BeanCreationException("stagingArea",
                "wrapped", cause));

        FailureAnalysis analysis = new AgentSettingFailureAnalyzer().analyze(failure);

        assertThat(analysis.getDescription()).isEqualTo("backbus.agent.staging-dir /srv/x is not a writable directory");
        assertThat(new AgentSettingFailureAnalyzer().analyze(new IllegalStateException("unrelated"))).isNull();
    }

    @Test
    void namesMissingClientToolsToo() {
        var cause = new IllegalStateException("pg_dump and pg_restore not found together in /usr/lib/postgresql/15/bin "
                + "nor on the PATH: install the PostgreSQL client or set backbus.agent.pg-bin-dir");

        FailureAnalysis analysis = new AgentSettingFailureAnalyzer().analyze(new BeanCreationException("pgRestore",
                "wrapped", cause));

        assertThat(analysis.getDescription()).startsWith("pg_dump and pg_restore not found");
    }
}
