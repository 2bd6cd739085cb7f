package io.backbus.localstack;

import io.backbus.contracts.ServiceTopics;
import io.backbus.contracts.Topics;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The Kafka ACLs one service's principal needs, derived from {@link ServiceTopics}: Write on the topics it produces
 * to, Read on the topics it consumes and on its consumer group, Write on its dead-letter topics, and (unless the
 * topics are pre-provisioned by an admin) Create on the topics its KafkaAdmin provisions at start. Every grant is on
 * a literal name. No IdempotentWrite on the cluster: since Kafka 2.8 (KIP-679) Write on any topic lets an idempotent
 * producer initialise its producer id. Lives here rather than in contracts because it is logic, and here both the CLI
 * and the locked-down-bus IT reach it.
 */
public final class BusAcls {

    /** Default principal prefix: {@code User:backbus-<service>}. */
    public static final String DEFAULT_PRINCIPAL_PREFIX = "User:backbus-";

    /** The ACLs of one principal on one resource. */
    public record Grant(String principal, ResourceType resourceType, String name, List<AclOperation> operations) {

        /** One allow binding per operation, from any host. */
        public List<AclBinding> bindings() {
            List<AclBinding> bindings = new ArrayList<>();
            for (AclOperation operation : operations) {
                bindings.add(new AclBinding(new ResourcePattern(resourceType, name, PatternType.LITERAL),
                        new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW)));
            }
            return bindings;
        }

        /** The {@code kafka-acls.sh} arguments adding this grant. */
        public String kafkaAclsArguments() {
            StringBuilder line = new StringBuilder("--add --allow-principal ").append(principal);
            for (AclOperation operation : operations) {
                line.append(" --operation ").append(operationName(operation));
            }
            String option = resourceType == ResourceType.GROUP ? "--group" : "--topic";
            return line.append(' ').append(option).append(' ').append(name).toString();
        }
    }

    /** The principal and consumer group of one running service instance, and what it may do. */
    public record ServicePrincipal(ServiceTopics service, String principal, String consumerGroup, List<Grant> grants) {

        /** All bindings of {@link #grants()}. */
        public List<AclBinding> bindings() {
            return grants.stream().flatMap(g -> g.bindings().stream()).toList();
        }
    }

    private BusAcls() {
    }

    /**
     * The principal of {@code service} (for the agent, of the agent with {@code agentId}) and its grants.
     *
     * @param principalPrefix e.g. {@value #DEFAULT_PRINCIPAL_PREFIX}; the principal is the prefix plus the service
     *                        name (the agent's: plus {@code dump-agent-<id>})
     * @param provisioning    whether the service creates its topics itself at start (KafkaAdmin, the default) rather
     *                        than finding them created by an admin ({@code spring.kafka.admin.auto-create=false})
     */
    public static ServicePrincipal forService(ServiceTopics service, String principalPrefix, String agentId,
            boolean provisioning) {
        String group = service.consumerGroup().replace(ServiceTopics.AGENT_ID, agentId);
        String principal = principalPrefix + (service == ServiceTopics.DUMP_AGENT ? group : service.service());
        Map<String, Set<AclOperation>> topics = new LinkedHashMap<>();
        for (String topic : service.produces()) {
            add(topics, topic, AclOperation.WRITE);
        }
        for (String topic : service.consumes()) {
            add(topics, topic, AclOperation.READ);
            // the dead-letter publisher of a failing listener
            add(topics, Topics.deadLetter(topic, group), AclOperation.WRITE);
        }
        if (provisioning) {
            // DeliveryAutoConfiguration.contractTopics: every contract topic and this group's dead letter of each
            for (String topic : Topics.ALL) {
                provision(topics, topic);
                provision(topics, Topics.deadLetter(topic, group));
            }
        }
        List<Grant> grants = new ArrayList<>();
        topics.forEach((name, ops) -> grants.add(new Grant(principal, ResourceType.TOPIC, name, List.copyOf(ops))));
        if (!service.consumes().isEmpty()) {
            grants.add(new Grant(principal, ResourceType.GROUP, group, List.of(AclOperation.READ)));
        }
        return new ServicePrincipal(service, principal, group, List.copyOf(grants));
    }

    /** Every service's principal: one agent principal per agent id. */
    public static List<ServicePrincipal> forAll(String principalPrefix, List<String> agentIds, boolean provisioning) {
        List<ServicePrincipal> principals = new ArrayList<>();
        for (ServiceTopics service : ServiceTopics.ALL) {
            if (service == ServiceTopics.DUMP_AGENT) {
                for (String agentId : agentIds) {
                    principals.add(forService(service, principalPrefix, agentId, provisioning));
                }
            } else {
                principals.add(forService(service, principalPrefix, ServiceTopics.AGENT_ID, provisioning));
            }
        }
        return principals;
    }

    /** The operation as {@code kafka-acls.sh --operation} spells it, e.g. {@code Write}. */
    public static String operationName(AclOperation operation) {
        String name = operation.name().toLowerCase();
        StringBuilder out = new StringBuilder();
        boolean upper = true;
        for (char c : name.toCharArray()) {
            if (c == '_') {
                upper = true;
            } else {
                out.append(upper ? Character.toUpperCase(c) : c);
                upper = false;
            }
        }
        return out.toString();
    }

    private static void add(Map<String, Set<AclOperation>> topics, String topic, AclOperation operation) {
        topics.computeIfAbsent(topic, t -> new LinkedHashSet<>()).add(operation);
    }

    private static void provision(Map<String, Set<AclOperation>> topics, String topic) {
        Set<AclOperation> ops = topics.computeIfAbsent(topic, t -> new LinkedHashSet<>());
        ops.add(AclOperation.CREATE);
        // KafkaAdmin describes the topics that exist; Read and Write imply Describe
        if (!ops.contains(AclOperation.READ) && !ops.contains(AclOperation.WRITE)) {
            ops.add(AclOperation.DESCRIBE);
        }
    }
}
