package io.backbus.agent.config;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The agent's version, from {@code META-INF/backbus-agent.properties} (filtered by the build). */
public final class AgentVersion {

    private AgentVersion() {
    }

    public static String current() {
        try (InputStream in = AgentVersion.class.getResourceAsStream("/META-INF/backbus-agent.properties")) {
            if (in != null) {
                Properties p = new Properties();
                p.load(in);
                String v = p.getProperty("version");
                if (v != null && !v.isBlank() && !v.startsWith("${")) {
                    return v.strip();
                }
            }
        } catch (IOException ignored) {
            // fall through
        }
        return "dev";
    }
}
