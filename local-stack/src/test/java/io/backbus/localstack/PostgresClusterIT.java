package io.backbus.localstack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PostgresClusterIT {

    static Path home;
    static Path dataDir;
    static PostgresCluster pg;

    @BeforeAll
    static void start() throws Exception {
        home = Files.createTempDirectory("backbus-pg-it");
        dataDir = home.resolve("data");
        pg = PostgresCluster.start(dataDir, FreePorts.pick());
    }

    @AfterAll
    static void stop() {
        if (pg != null) {
            pg.stop();
        }
        TempDirs.deleteRecursively(home);
    }

    @Test
    void roleAndDatabaseAreUsableOverJdbcAndPsql() throws Exception {
        pg.createRole("app", "s3cr'et");
        pg.createRole("app", "s3cr'et"); // idempotent
        pg.createDatabase("appdb", "app");
        pg.createDatabase("appdb", "app"); // idempotent
        pg.execute("appdb", "CREATE TABLE t(id int); INSERT INTO t VALUES (42)");

        try (Connection c = DriverManager.getConnection(pg.jdbcUrl("appdb"), "app", "s3cr'et");
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select count(*) from pg_tables where tablename = 't'")) {
            rs.next();
            assertThat(rs.getInt(1)).isEqualTo(1);
        }

        ProcessBuilder pb = new ProcessBuilder(List.of(PostgresCluster.binDir().resolve("psql").toString(), "-X", "-A",
                "-t", "-h", pg.host(), "-p", String.valueOf(pg.port()), "-U", "app", "-d", "appdb", "-c",
                "select current_user || ':' || current_database()")).redirectErrorStream(true);
        pb.environment().put("PGPASSWORD", "s3cr'et");
        Process p = pb.start();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        String out = new String(p.getInputStream().readAllBytes()).trim();
        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).isEqualTo("app:appdb");
    }

    @Test
    void wrongPasswordIsRefused() {
        pg.createRole("other", "right");
        assertThatThrownBy(() -> DriverManager.getConnection(pg.jdbcUrl("postgres"), "other", "wrong").close())
                .isInstanceOf(SQLException.class)
                .hasMessageContaining("password authentication failed");
        assertThatThrownBy(() -> DriverManager.getConnection(pg.jdbcUrl("postgres"), pg.superuser(), "wrong").close())
                .isInstanceOf(SQLException.class);
    }

    @Test
    void passwordFileIsPrivateAndRestartReusesDataDir() throws Exception {
        Path pwFile = home.resolve("data.superuser-password");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pwFile))).isEqualTo("rw-------");
        String password = pg.superuserPassword();
        assertThat(pg.toString()).doesNotContain(password);

        pg.createDatabase("survivor");
        pg.execute("survivor", "CREATE TABLE kept(v text); INSERT INTO kept VALUES ('still here')");
        int port = pg.port();
        pg.stop();

        pg = PostgresCluster.start(dataDir, port);
        assertThat(pg.superuserPassword()).isEqualTo(password);
        try (Connection c = DriverManager.getConnection(pg.jdbcUrl("survivor"), pg.superuser(), password);
                Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("select v from kept")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("still here");
        }
    }
}
