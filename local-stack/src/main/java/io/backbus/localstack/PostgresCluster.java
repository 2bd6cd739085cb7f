package io.backbus.localstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real PostgreSQL cluster run from the local server binaries ({@code initdb}/{@code pg_ctl}) on 127.0.0.1.
 * The server daemonizes, so it keeps running until {@link #stop()} (or {@code pg_ctl stop}) is called.
 */
public final class PostgresCluster implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(PostgresCluster.class);
    private static final String SUPERUSER = "postgres";
    private static final String HOST = "127.0.0.1";
    private static final Path DEFAULT_BIN = Path.of("/usr/lib/postgresql/15/bin");
    /** Unix socket paths are limited to ~107 bytes including the "/.s.PGSQL.NNNNN" suffix. */
    private static final int MAX_SOCKET_DIR_LENGTH = 80;

    private final Path dataDir;
    private final Path binDir;
    private final Path logFile;
    private final Path socketDir;
    private final int port;
    private final String password;
    private final boolean asPostgresUser;
    private volatile boolean stopped;

    private PostgresCluster(Path dataDir, Path binDir, Path logFile, Path socketDir, int port, String password,
            boolean asPostgresUser) {
        this.dataDir = dataDir;
        this.binDir = binDir;
        this.logFile = logFile;
        this.socketDir = socketDir;
        this.port = port;
        this.password = password;
        this.asPostgresUser = asPostgresUser;
    }

    /**
     * Initializes {@code dataDir} if it holds no cluster yet (otherwise reuses it) and starts the server on
     * 127.0.0.1:{@code port}. The superuser password is kept in {@code <dataDir>.superuser-password} (mode 600).
     * If a server is already running on that data dir and port, it is adopted.
     */
    public static PostgresCluster start(Path dataDir, int port) {
        Path data = dataDir.toAbsolutePath().normalize();
        Path bin = binDir();
        boolean root = isRoot();
        Path parent = data.getParent();
        Path logFile = parent.resolve("postgres.log");
        Path pwFile = passwordFile(data);
        try {
            Files.createDirectories(data);
            if (root) {
                makeTraversable(parent);
                chownToPostgres(data);
            }
            Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwx------"));
            if (!Files.exists(logFile)) {
                Files.createFile(logFile);
            }
            if (root) {
                chownToPostgres(logFile);
            }
            Path socketDir = socketDir(parent, root);

            boolean fresh = !Files.exists(data.resolve("PG_VERSION"));
            String password;
            boolean resetPassword = false;
            if (fresh) {
                password = newPassword();
                writePasswordFile(pwFile, password);
                initdb(bin, data, password, root, logFile);
            } else if (Files.isReadable(pwFile)) {
                password = Files.readString(pwFile, StandardCharsets.UTF_8).trim();
            } else {
                // data dir exists but its password file is lost: set a new one over the (trusted) socket
                password = newPassword();
                writePasswordFile(pwFile, password);
                resetPassword = true;
            }

            PostgresCluster cluster = new PostgresCluster(data, bin, logFile, socketDir, port, password, root);
            Integer runningPort = runningPort(data);
            if (runningPort != null && cluster.pgCtlStatus()) {
                if (runningPort != port) {
                    throw new LocalStackException("PostgreSQL is already running on data dir " + data + " but on port "
                            + runningPort + ", not " + port + "; stop it first (pg_ctl -D " + data + " stop)");
                }
                log.info("adopting PostgreSQL already running on {} (port {})", data, port);
            } else {
                if (!FreePorts.isFree(port)) {
                    throw new LocalStackException("cannot start PostgreSQL: port " + port + " is already in use");
                }
                cluster.pgCtlStart();
            }
            if (resetPassword) {
                cluster.psqlOverSocket("ALTER ROLE " + SUPERUSER + " PASSWORD '" + password + "'");
            }
            cluster.awaitJdbc(Duration.ofSeconds(30));
            log.info("PostgreSQL running on {}:{} (data {})", HOST, port, data);
            return cluster;
        } catch (IOException e) {
            throw new LocalStackException("cannot prepare PostgreSQL data dir " + data + ": " + e.getMessage(), e);
        }
    }

    /**
     * Directory holding the PostgreSQL server binaries: env {@code BACKBUS_PG_BIN}, else
     * {@code /usr/lib/postgresql/15/bin}, else the directory of {@code pg_ctl} on the PATH.
     */
    public static Path binDir() {
        String env = System.getenv("BACKBUS_PG_BIN");
        if (env != null && !env.isBlank()) {
            Path p = Path.of(env);
            if (!Files.isExecutable(p.resolve("pg_ctl"))) {
                throw new LocalStackException("BACKBUS_PG_BIN=" + env + " does not contain an executable pg_ctl");
            }
            return p;
        }
        if (Files.isExecutable(DEFAULT_BIN.resolve("pg_ctl"))) {
            return DEFAULT_BIN;
        }
        String path = System.getenv("PATH");
        if (path != null) {
            for (String dir : path.split(java.io.File.pathSeparator)) {
                if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "pg_ctl"))) {
                    try {
                        return Path.of(dir, "pg_ctl").toRealPath().getParent();
                    } catch (IOException e) {
                        return Path.of(dir);
                    }
                }
            }
        }
        throw new LocalStackException("PostgreSQL server binaries not found: looked in $BACKBUS_PG_BIN (unset), "
                + DEFAULT_BIN + " and for pg_ctl on the PATH. Install PostgreSQL 15 server or set BACKBUS_PG_BIN.");
    }

    public String host() {
        return HOST;
    }

    public int port() {
        return port;
    }

    public String superuser() {
        return SUPERUSER;
    }

    public String superuserPassword() {
        return password;
    }

    public Path dataDir() {
        return dataDir;
    }

    public Path logFile() {
        return logFile;
    }

    /** Directory of the Unix socket (for {@code psql -h}). */
    public Path socketDir() {
        return socketDir;
    }

    /** {@code jdbc:postgresql://127.0.0.1:PORT/database}. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + HOST + ":" + port + "/" + database;
    }

    /** Creates the database if it does not exist yet. */
    public void createDatabase(String name) {
        createDatabase(name, null);
    }

    /** Creates the database (owned by {@code owner}, or the superuser when null) if it does not exist yet. */
    public void createDatabase(String name, String owner) {
        if (exists("select 1 from pg_database where datname = ?", name)) {
            return;
        }
        String sql = "CREATE DATABASE " + quoteIdent(name) + (owner == null ? "" : " OWNER " + quoteIdent(owner));
        try {
            execute("postgres", sql);
        } catch (LocalStackException e) {
            if (!exists("select 1 from pg_database where datname = ?", name)) { // lost a race otherwise
                throw e;
            }
        }
    }

    /** Creates a LOGIN role with this password, or (if it exists) sets its password and LOGIN. */
    public void createRole(String name, String rolePassword) {
        String verb = exists("select 1 from pg_roles where rolname = ?", name) ? "ALTER" : "CREATE";
        String sql = verb + " ROLE " + quoteIdent(name) + " LOGIN PASSWORD " + quoteLiteral(rolePassword);
        try {
            execute("postgres", sql);
        } catch (LocalStackException e) {
            if (verb.equals("ALTER") || !exists("select 1 from pg_roles where rolname = ?", name)) {
                throw new LocalStackException("cannot create role " + name + ": " + e.getCause().getMessage(),
                        e.getCause());
            }
            execute("postgres", "ALTER ROLE " + quoteIdent(name) + " LOGIN PASSWORD " + quoteLiteral(rolePassword));
        }
    }

    /** Runs SQL (one or more statements, no results) in {@code database} as the superuser over JDBC. */
    public void execute(String database, String sql) {
        try (Connection c = connect(database); Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            // never echo the SQL: it may carry a password
            throw new LocalStackException("SQL failed in database " + database + ": " + e.getMessage(), e);
        }
    }

    /** Opens a JDBC connection to {@code database} as the superuser. */
    public Connection connect(String database) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", SUPERUSER);
        props.setProperty("password", password);
        props.setProperty("connectTimeout", "10");
        return DriverManager.getConnection(jdbcUrl(database), props);
    }

    /**
     * Crashes and restarts the server: {@code pg_ctl -m immediate stop} (every backend killed, crash recovery at
     * the next start, as after a power loss), waits {@code down}, starts it again on the same port and waits for
     * JDBC connections.
     */
    public void restart(Duration down) {
        Result r = run(asPostgresUser, List.of(binDir.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-m",
                "immediate", "-w", "-t", "60", "stop"), Map.of(), Duration.ofSeconds(90));
        if (r.exit != 0) {
            throw new LocalStackException("pg_ctl stop -m immediate failed (exit " + r.exit + "): " + r.output);
        }
        log.info("PostgreSQL on port {} crashed (immediate stop); down for {}", port, down);
        ChildProcess.sleep(down.toMillis());
        pgCtlStart();
        awaitJdbc(Duration.ofSeconds(60));
        log.info("PostgreSQL on port {} running again", port);
    }

    /** Stops the server ({@code pg_ctl -m fast stop}); idempotent. */
    public void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        if (!pgCtlStatus()) {
            return;
        }
        Result r = run(asPostgresUser, List.of(binDir.resolve("pg_ctl").toString(), "-D", dataDir.toString(), "-m",
                "fast", "-w", "-t", "60", "stop"), Map.of(), Duration.ofSeconds(90));
        if (r.exit != 0) {
            throw new LocalStackException("pg_ctl stop failed (exit " + r.exit + "): " + r.output);
        }
        log.info("PostgreSQL on port {} stopped", port);
    }

    @Override
    public void close() {
        stop();
    }

    @Override
    public String toString() {
        return "PostgresCluster[" + HOST + ":" + port + ", data " + dataDir + "]";
    }

    // ---------------------------------------------------------------------------------------------------------

    private boolean exists(String query, String param) {
        try (Connection c = connect("postgres"); PreparedStatement ps = c.prepareStatement(query)) {
            ps.setString(1, param);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next();
            }
        } catch (SQLException e) {
            throw new LocalStackException("query failed: " + e.getMessage(), e);
        }
    }

    private static void initdb(Path bin, Path data, String password, boolean root, Path logFile) throws IOException {
        Path tmpPw = Files.createTempFile("backbus-pg", ".pw");
        try {
            Files.writeString(tmpPw, password + "\n", StandardCharsets.UTF_8);
            if (root) {
                chownToPostgres(tmpPw);
            }
            Files.setPosixFilePermissions(tmpPw, PosixFilePermissions.fromString("rw-------"));
            Result r = run(root, List.of(bin.resolve("initdb").toString(), "-D", data.toString(), "-U", SUPERUSER,
                    "--auth-local=trust", "--auth-host=scram-sha-256", "--pwfile=" + tmpPw, "-E", "UTF8",
                    "--locale=C", "--no-sync"), Map.of(), Duration.ofSeconds(120));
            if (r.exit != 0) {
                throw new LocalStackException("initdb failed for " + data + " (exit " + r.exit + "):"
                        + System.lineSeparator() + r.output);
            }
        } finally {
            Files.deleteIfExists(tmpPw);
        }
    }

    private void pgCtlStart() {
        String opts = "-p " + port + " -k " + socketDir + " -c listen_addresses=" + HOST;
        Result r = run(asPostgresUser, List.of(binDir.resolve("pg_ctl").toString(), "-w", "-t", "60", "-D",
                dataDir.toString(), "-o", opts, "-l", logFile.toString(), "start"), Map.of(), Duration.ofSeconds(90));
        if (r.exit != 0) {
            throw new LocalStackException("pg_ctl start failed for " + dataDir + " on port " + port + " (exit "
                    + r.exit + "):" + System.lineSeparator() + r.output + System.lineSeparator() + "log " + logFile
                    + ", last lines:" + System.lineSeparator() + ChildProcess.tail(logFile, 30));
        }
    }

    private boolean pgCtlStatus() {
        Result r = run(asPostgresUser, List.of(binDir.resolve("pg_ctl").toString(), "-D", dataDir.toString(),
                "status"), Map.of(), Duration.ofSeconds(30));
        return r.exit == 0;
    }

    private void psqlOverSocket(String sql) {
        Result r = run(asPostgresUser, List.of(binDir.resolve("psql").toString(), "-X", "-q", "-v",
                "ON_ERROR_STOP=1", "-h", socketDir.toString(), "-p", String.valueOf(port), "-U", SUPERUSER, "-d",
                "postgres", "-c", sql), Map.of(), Duration.ofSeconds(30));
        if (r.exit != 0) {
            throw new LocalStackException("psql over the local socket failed (exit " + r.exit + ")");
        }
    }

    private void awaitJdbc(Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            try (Connection c = connect("postgres")) {
                return;
            } catch (SQLException e) {
                if (System.nanoTime() > deadline) {
                    throw new LocalStackException("PostgreSQL on port " + port + " does not accept the superuser login"
                            + " (password file " + passwordFile(dataDir) + " out of date?): " + e.getMessage()
                            + System.lineSeparator() + ChildProcess.tail(logFile, 20), e);
                }
                ChildProcess.sleep(200);
            }
        }
    }

    private static Integer runningPort(Path data) {
        Path pid = data.resolve("postmaster.pid");
        try {
            if (!Files.isReadable(pid)) {
                return null;
            }
            List<String> lines = Files.readAllLines(pid);
            return lines.size() >= 4 ? Integer.valueOf(lines.get(3).trim()) : null;
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    static Path passwordFile(Path data) {
        return data.resolveSibling(data.getFileName() + ".superuser-password");
    }

    private static void writePasswordFile(Path file, String password) throws IOException {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, password + "\n", StandardCharsets.UTF_8);
    }

    private static String newPassword() {
        byte[] b = new byte[18];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static Path socketDir(Path parent, boolean root) throws IOException {
        Path dir = parent.resolve("pg-socket");
        if (dir.toString().length() > MAX_SOCKET_DIR_LENGTH) {
            dir = Files.createTempDirectory("backbus-pgsock");
        } else {
            Files.createDirectories(dir);
        }
        if (root) {
            chownToPostgres(dir);
        }
        return dir;
    }

    static String quoteIdent(String ident) {
        return "\"" + ident.replace("\"", "\"\"") + "\"";
    }

    static String quoteLiteral(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    // ---- running tools, as the postgres OS user when we are root ----

    static boolean isRoot() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return Integer.valueOf(0).equals(uid);
        } catch (Exception e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static void chownToPostgres(Path p) throws IOException {
        UserPrincipalLookupService lookup = p.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal user;
        try {
            user = lookup.lookupPrincipalByName(SUPERUSER);
        } catch (IOException e) {
            throw new LocalStackException("running as root, but there is no 'postgres' OS user to run PostgreSQL as"
                    + " (PostgreSQL refuses to run as root)", e);
        }
        PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        view.setOwner(user);
        try {
            GroupPrincipal group = lookup.lookupPrincipalByGroupName(SUPERUSER);
            view.setGroup(group);
        } catch (IOException ignored) {
            // group is not essential
        }
    }

    /** Adds o+x to every ancestor that lacks it so the postgres user can reach the data dir. */
    private static void makeTraversable(Path dir) throws IOException {
        for (Path p = dir; p != null; p = p.getParent()) {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
            if (!perms.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                perms.add(PosixFilePermission.OTHERS_EXECUTE);
                Files.setPosixFilePermissions(p, perms);
                log.info("added o+x to {} so the postgres user can reach the data dir", p);
            }
        }
    }

    private record Result(int exit, String output) {
    }

    private static Result run(boolean asPostgres, List<String> command, Map<String, String> env, Duration timeout) {
        List<String> cmd = new ArrayList<>();
        if (asPostgres) {
            cmd.addAll(List.of("runuser", "-u", SUPERUSER, "--"));
        }
        cmd.addAll(command);
        Path out = null;
        try {
            // output to a file, not a pipe: pg_ctl leaves a daemon behind that must not hold our pipe open
            out = Files.createTempFile("backbus-pgtool", ".out");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                    .redirectOutput(out.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
            pb.environment().putAll(env);
            pb.environment().put("LC_ALL", "C");
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new LocalStackException(String.join(" ", command.subList(0, 1)) + " timed out after "
                        + timeout.toSeconds() + " s");
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            throw new LocalStackException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalStackException("interrupted while running " + command.get(0), e);
        } finally {
            if (out != null) {
                try {
                    Files.deleteIfExists(out);
                } catch (IOException ignored) {
                    // temp file
                }
            }
        }
    }
}
