package io.backbus.agent.postgres;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class PgVersionTest {

    @Test
    void readsWhatPgDumpSaysOfItsVersion() {
        assertThat(PgVersion.ofToolVersion("pg_dump (PostgreSQL) 15.18 (Debian 15.18-1.pgdg120+1)"))
                .contains(new PgVersion(150018));
        assertThat(PgVersion.ofToolVersion("pg_dump (PostgreSQL) 16.2")).contains(new PgVersion(160002));
        assertThat(PgVersion.ofToolVersion("pg_dump (PostgreSQL) 17devel")).contains(new PgVersion(170000));
        assertThat(PgVersion.ofToolVersion("pg_dump (PostgreSQL) 18beta1")).contains(new PgVersion(180000));
        assertThat(PgVersion.ofToolVersion("pg_dump (PostgreSQL) 9.6.24")).contains(new PgVersion(90624));
        assertThat(PgVersion.ofToolVersion("unknown")).isEmpty();
        assertThat(PgVersion.ofToolVersion(null)).isEmpty();
    }

    @Test
    void readsServerVersionNum() {
        assertThat(PgVersion.ofServerVersionNum("160002\n")).contains(new PgVersion(160002));
        assertThat(PgVersion.ofServerVersionNum("90624")).contains(new PgVersion(90624));
        assertThat(PgVersion.ofServerVersionNum("psql: error: connection refused")).isEmpty();
        assertThat(PgVersion.ofServerVersionNum("")).isEmpty();
    }

    @Test
    void printsVersionsAsPeopleWriteThem() {
        assertThat(new PgVersion(150018)).hasToString("15.18");
        assertThat(new PgVersion(160002)).hasToString("16.2");
        assertThat(new PgVersion(90624)).hasToString("9.6.24");
        assertThat(new PgVersion(160002).major()).isEqualTo("16");
        assertThat(new PgVersion(90624).major()).isEqualTo("9.6");
    }

    @Test
    void aPgDumpIsTooOldOnlyForANewerMajorVersion() {
        PgVersion pgDump15 = new PgVersion(150018);

        assertThat(pgDump15.isOlderMajorThan(new PgVersion(160002))).isTrue();
        assertThat(pgDump15.isOlderMajorThan(new PgVersion(170000))).isTrue();
        assertThat(pgDump15.isOlderMajorThan(new PgVersion(150099))).as("newer minor").isFalse();
        assertThat(pgDump15.isOlderMajorThan(new PgVersion(150000))).isFalse();
        assertThat(pgDump15.isOlderMajorThan(new PgVersion(140011))).isFalse();
        assertThat(pgDump15.isOlderMajorThan(new PgVersion(90624))).isFalse();
        assertThat(new PgVersion(90624).isOlderMajorThan(new PgVersion(100001))).isTrue();
        assertThat(new PgVersion(90506).isOlderMajorThan(new PgVersion(90624))).as("9.5 vs 9.6").isTrue();
        assertThat(new PgVersion(90624).isOlderMajorThan(new PgVersion(90601))).isFalse();
    }

    @Test
    void explainsARefusalWithBothVersionsAndWhatToInstall() {
        assertThat(PgDumpVersions.tooOld(new PgVersion(150018), new PgVersion(160002), "db-host-1"))
                .contains("pg_dump 15.18 is older than the server (16.2): install pg_dump 16 or newer on agent "
                        + "'db-host-1'");
        assertThat(PgDumpVersions.tooOld(new PgVersion(160002), new PgVersion(150018), "db-host-1")).isEqualTo(Optional.empty());
    }
}
