package io.backbus.contracts;

import java.util.List;

/**
 * Which contract topics each service produces to and consumes from, and in which consumer group: the table the
 * Kafka ACLs of each service's principal are derived from ({@code bin/backbus kafka acls}). Every service module has
 * a test that checks its row against its own {@code @KafkaListener} and publish calls, so the table cannot drift
 * from the code.
 *
 * @param service       the service's {@code spring.application.name}
 * @param consumerGroup its Kafka consumer group; for the agent {@value #AGENT_GROUP_PREFIX}{@code <agent id>}, written
 *                      here with the placeholder {@value #AGENT_ID}
 * @param produces      topics it publishes to (outbox or telemetry)
 * @param consumes      topics it listens to (each also dead-letters to {@code <topic>.<group>.dlq})
 */
public record ServiceTopics(String service, String consumerGroup, List<String> produces, List<String> consumes) {

    /** Placeholder for the agent's id in {@link #DUMP_AGENT}'s consumer group. */
    public static final String AGENT_ID = "{agent-id}";
    /** The agent's consumer group before its id: each agent is its own group and sees every request. */
    public static final String AGENT_GROUP_PREFIX = "dump-agent-";

    /** The scheduler: plans, runs, restores. */
    public static final ServiceTopics SCHEDULER = new ServiceTopics("scheduler-service", "scheduler-service",
            List.of(Topics.BACKUP_REQUESTED, Topics.BACKUP_FAILED, Topics.RESTORE_REQUESTED, Topics.RESTORE_FAILED,
                    Topics.RESTORE_VERIFIED, Topics.RESTORE_TEST_FAILED),
            List.of(Topics.AGENT_ANNOUNCED, Topics.ARTIFACT_READY, Topics.BACKUP_STORED, Topics.BACKUP_FAILED,
                    Topics.BACKUP_PROGRESS, Topics.RESTORE_ARTIFACT_READY, Topics.RESTORE_COMPLETED,
                    Topics.RESTORE_FAILED, Topics.RESTORE_PROGRESS));

    /** A dump agent: dumps and restores the targets it serves. */
    public static final ServiceTopics DUMP_AGENT = new ServiceTopics("dump-agent", AGENT_GROUP_PREFIX + AGENT_ID,
            List.of(Topics.AGENT_ANNOUNCED, Topics.ARTIFACT_READY, Topics.ARTIFACT_STREAMING, Topics.BACKUP_FAILED,
                    Topics.BACKUP_PROGRESS, Topics.RESTORE_COMPLETED, Topics.RESTORE_FAILED, Topics.RESTORE_PROGRESS),
            List.of(Topics.BACKUP_REQUESTED, Topics.BACKUP_STORED, Topics.BACKUP_FAILED,
                    Topics.RESTORE_ARTIFACT_READY));

    /** The uploader: pulls, encrypts and stores artifacts; serves backups for restores. */
    public static final ServiceTopics UPLOADER = new ServiceTopics("uploader-service", "uploader-service",
            List.of(Topics.BACKUP_STORED, Topics.BACKUP_FAILED, Topics.BACKUP_PROGRESS, Topics.RESTORE_ARTIFACT_READY,
                    Topics.RESTORE_FAILED, Topics.RESTORE_PROGRESS),
            List.of(Topics.BACKUP_REQUESTED, Topics.ARTIFACT_READY, Topics.ARTIFACT_STREAMING,
                    Topics.RESTORE_REQUESTED));

    /** Retention: catalog and pruning. */
    public static final ServiceTopics RETENTION = new ServiceTopics("retention-service", "retention-service",
            List.of(), List.of(Topics.BACKUP_REQUESTED, Topics.BACKUP_STORED, Topics.RESTORE_VERIFIED));

    /** The notifier: alerts on failures. */
    public static final ServiceTopics NOTIFIER = new ServiceTopics("notifier-service", "notifier-service",
            List.of(), List.of(Topics.BACKUP_FAILED, Topics.RESTORE_FAILED, Topics.RESTORE_TEST_FAILED));

    /** Every service on the bus. */
    public static final List<ServiceTopics> ALL = List.of(SCHEDULER, DUMP_AGENT, UPLOADER, RETENTION, NOTIFIER);

    public ServiceTopics {
        produces = List.copyOf(produces);
        consumes = List.copyOf(consumes);
    }
}
