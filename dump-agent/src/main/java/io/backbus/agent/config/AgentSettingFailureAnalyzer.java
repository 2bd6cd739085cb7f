package io.backbus.agent.config;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Reports a start that failed on an unusable {@code backbus.agent.*} setting (staging dir not writable, pg_dump or
 * pg_restore not found, ...) by naming the setting, instead of a chain of bean-creation errors. The agent's checks
 * raise {@link IllegalStateException}s whose message starts with the property name.
 */
class AgentSettingFailureAnalyzer extends AbstractFailureAnalyzer<IllegalStateException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, IllegalStateException cause) {
        String message = cause.getMessage();
        if (message == null || !message.startsWith("backbus.agent.")
                && !message.startsWith("pg_dump and pg_restore not found")) {
            return null;
        }
        return new FailureAnalysis(message, "Fix this setting of the dump agent (see dump-agent/README.md) and "
                + "start it again.", cause);
    }
}
