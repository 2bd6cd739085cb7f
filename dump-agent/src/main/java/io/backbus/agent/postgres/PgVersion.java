package io.backbus.agent.postgres;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A PostgreSQL version as {@code server_version_num} counts it: {@code 150018} is 15.18, {@code 90624} is 9.6.24.
 * The major version is the first number from 10 on, the first two before.
 *
 * @param number the version in {@code server_version_num} form
 */
public record PgVersion(int number) {

    /** "pg_dump (PostgreSQL) 15.18 (Debian 15.18-1.pgdg120+1)", "psql (PostgreSQL) 17devel", ... */
    private static final Pattern TOOL = Pattern.compile("\\(PostgreSQL\\)\\s+(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?");

    public PgVersion {
        if (number <= 0) {
            throw new IllegalArgumentException("not a PostgreSQL version number: " + number);
        }
    }

    /** The version a client tool reports with {@code --version}, if it is recognisable. */
    public static Optional<PgVersion> ofToolVersion(String versionLine) {
        if (versionLine == null) {
            return Optional.empty();
        }
        Matcher m = TOOL.matcher(versionLine);
        if (!m.find()) {
            return Optional.empty();
        }
        int first = Integer.parseInt(m.group(1));
        int second = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
        int third = m.group(3) == null ? 0 : Integer.parseInt(m.group(3));
        if (first <= 0 || first > 999) {
            return Optional.empty();
        }
        return Optional.of(new PgVersion(first >= 10 ? first * 10000 + second : first * 10000 + second * 100 + third));
    }

    /** A server's {@code server_version_num}, if it is one. */
    public static Optional<PgVersion> ofServerVersionNum(String text) {
        if (text == null || !text.strip().matches("\\d{5,7}")) {
            return Optional.empty();
        }
        return Optional.of(new PgVersion(Integer.parseInt(text.strip())));
    }

    /** The major version in {@code server_version_num} form: 150000 for 15.18, 90600 for 9.6.24. */
    public int majorNumber() {
        return number >= 100000 ? number / 10000 * 10000 : number / 100 * 100;
    }

    /** The major version as people write it: "15", "9.6". */
    public String major() {
        return number >= 100000 ? String.valueOf(number / 10000) : number / 10000 + "." + number / 100 % 100;
    }

    /**
     * Whether a pg_dump of this version is too old for a server of {@code server}: pg_dump dumps servers of its own
     * major version and older only.
     */
    public boolean isOlderMajorThan(PgVersion server) {
        return majorNumber() < server.majorNumber();
    }

    /** "15.18", "9.6.24". */
    @Override
    public String toString() {
        return number >= 100000 ? number / 10000 + "." + number % 10000
                : number / 10000 + "." + number / 100 % 100 + "." + number % 100;
    }
}
