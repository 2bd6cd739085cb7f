package io.backbus.testsupport;

/** A freshly created PostgreSQL database and the login role that owns it. */
public record DatabaseInfo(String name, String jdbcUrl, String user, String password) {

    @Override
    public String toString() {
        return "DatabaseInfo[name=" + name + ", jdbcUrl=" + jdbcUrl + ", user=" + user + "]";
    }
}
