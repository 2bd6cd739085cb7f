package io.backbus.agent.config;

import io.backbus.agent.domain.AgentAnnouncer;
import io.backbus.agent.domain.BackupService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/** Announces the agent when it is ready and every announce-interval; deletes expired staged files. */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
class AgentSchedules implements SchedulingConfigurer {

    private static final Logger log = LoggerFactory.getLogger(AgentSchedules.class);

    private final AgentProperties properties;
    private final AgentAnnouncer announcer;
    private final BackupService backups;

    AgentSchedules(AgentProperties properties, AgentAnnouncer announcer, BackupService backups) {
        this.properties = properties;
        this.announcer = announcer;
        this.backups = backups;
    }

    @EventListener(ApplicationReadyEvent.class)
    void announceOnStart() {
        announcer.announce();
    }

    @Override
    public void configureTasks(ScheduledTaskRegistrar registrar) {
        registrar.addFixedDelayTask(new FixedDelayTask(guarded("announce", announcer::announce),
                properties.announceInterval(), properties.announceInterval()));
        registrar.addFixedDelayTask(new FixedDelayTask(guarded("janitor", () -> {
            int deleted = backups.deleteExpired();
            if (deleted > 0) {
                log.info("Janitor deleted {} expired staged file(s)", deleted);
            }
        }), properties.janitorInterval(), properties.janitorInterval()));
    }

    private static Runnable guarded(String name, Runnable task) {
        return () -> {
            try {
                task.run();
            } catch (RuntimeException e) {
                log.warn("Scheduled {} failed, will run again: {}", name, e.getMessage());
            }
        };
    }
}
