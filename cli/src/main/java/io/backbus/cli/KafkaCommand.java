package io.backbus.cli;

import io.backbus.contracts.ServiceTopics;
import io.backbus.localstack.BusAcls;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code backbus kafka acls}: the Kafka ACLs each service's principal needs on a locked-down bus. */
@Command(name = "kafka", mixinStandardHelpOptions = true, description = "Kafka settings of a Backbus installation.",
        subcommands = {KafkaCommand.Acls.class})
final class KafkaCommand {

    enum Format { COMMANDS, TABLE }

    @Command(name = "acls", mixinStandardHelpOptions = true,
            description = "Print the ACLs each service's principal needs (derived from the services' declared "
                    + "topics, see docs/adr/0010-locked-down-bus.md), as kafka-acls.sh commands or a table.")
    static final class Acls implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--agent-id", description = "an agent's backbus.agent.id (repeatable); each agent is its "
                + "own principal and group. Without one the agent lines keep the placeholder "
                + ServiceTopics.AGENT_ID + ".")
        List<String> agentIds;

        @Option(names = "--principal-prefix", defaultValue = BusAcls.DEFAULT_PRINCIPAL_PREFIX,
                description = "principal = prefix + service name, default: ${DEFAULT-VALUE}")
        String principalPrefix;

        @Option(names = "--pre-provisioned", description = "topics are created by an admin and the services run with "
                + "spring.kafka.admin.auto-create=false: no Create/Describe for provisioning")
        boolean preProvisioned;

        @Option(names = "--format", defaultValue = "COMMANDS", description = "COMMANDS (kafka-acls.sh) or TABLE, "
                + "default: ${DEFAULT-VALUE}")
        Format format;

        @Option(names = "--bootstrap-server", defaultValue = "BROKER:9092",
                description = "written into the kafka-acls.sh commands, default: ${DEFAULT-VALUE}")
        String bootstrapServer;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            if (!principalPrefix.contains(":")) {
                spec.commandLine().getErr().println("backbus kafka acls: --principal-prefix must name the principal "
                        + "type, e.g. User:backbus-; was " + principalPrefix);
                return 2;
            }
            List<String> agents = agentIds == null || agentIds.isEmpty() ? List.of(ServiceTopics.AGENT_ID) : agentIds;
            List<BusAcls.ServicePrincipal> principals = BusAcls.forAll(principalPrefix, agents, !preProvisioned);
            if (format == Format.TABLE) {
                printTable(out, principals);
            } else {
                printCommands(out, principals);
            }
            out.flush();
            return 0;
        }

        private void printCommands(PrintWriter out, List<BusAcls.ServicePrincipal> principals) {
            out.println("# Kafka ACLs of every Backbus service (run as an admin principal; admin.properties holds "
                    + "its SASL login)");
            for (BusAcls.ServicePrincipal p : principals) {
                out.println();
                out.println("# " + p.service().service() + " as " + p.principal() + ", consumer group "
                        + p.consumerGroup());
                for (BusAcls.Grant grant : p.grants()) {
                    out.println("kafka-acls.sh --bootstrap-server " + bootstrapServer
                            + " --command-config admin.properties " + grant.kafkaAclsArguments());
                }
            }
        }

        private static void printTable(PrintWriter out, List<BusAcls.ServicePrincipal> principals) {
            String row = "%-40s %-6s %-64s %s%n";
            out.printf(row, "PRINCIPAL", "TYPE", "RESOURCE", "OPERATIONS");
            for (BusAcls.ServicePrincipal p : principals) {
                for (BusAcls.Grant grant : p.grants()) {
                    out.printf(row, p.principal(), grant.resourceType().name().toLowerCase(), grant.name(),
                            grant.operations().stream().map(BusAcls::operationName)
                                    .collect(Collectors.joining(",")));
                }
            }
        }
    }
}
