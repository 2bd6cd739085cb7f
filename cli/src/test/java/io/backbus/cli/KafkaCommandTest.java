package io.backbus.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class KafkaCommandTest {

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        CommandLine cli = new CommandLine(new Backbus()).setCaseInsensitiveEnumValuesAllowed(true);
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        return cli.execute(args);
    }

    private List<String> lines() {
        return Arrays.asList(out.toString().split("\\R"));
    }

    @Test
    void printsKafkaAclsCommandsOfEveryServicePrincipal() {
        int exit = run("kafka", "acls", "--agent-id", "pg-east", "--bootstrap-server", "kafka:9093");

        assertThat(exit).isZero();
        String prefix = "kafka-acls.sh --bootstrap-server kafka:9093 --command-config admin.properties --add ";
        assertThat(lines()).contains(
                prefix + "--allow-principal User:backbus-scheduler-service --operation Write --operation Create "
                        + "--topic backbus.restore.requested",
                prefix + "--allow-principal User:backbus-uploader-service --operation Read --operation Create "
                        + "--topic backbus.restore.requested",
                prefix + "--allow-principal User:backbus-uploader-service --operation Write --operation Create "
                        + "--topic backbus.restore.requested.uploader-service.dlq",
                prefix + "--allow-principal User:backbus-dump-agent-pg-east --operation Read --group dump-agent-pg-east",
                prefix + "--allow-principal User:backbus-notifier-service --operation Create --operation Describe "
                        + "--topic backbus.restore.requested");
        // only the scheduler may write a RestoreRequested
        assertThat(lines()).filteredOn(l -> l.endsWith("--topic backbus.restore.requested")
                && l.contains("--operation Write")).singleElement().asString().contains("scheduler-service");
    }

    @Test
    void preProvisionedTopicsNeedNoCreateAndTheTableNamesEachGrant() {
        int exit = run("kafka", "acls", "--pre-provisioned", "--format", "table", "--principal-prefix", "User:bb-");

        assertThat(exit).isZero();
        assertThat(out.toString()).doesNotContain("Create").contains("User:bb-retention-service")
                .contains("User:bb-dump-agent-{agent-id}");
        assertThat(lines()).anySatisfy(l -> assertThat(l).startsWith("User:bb-retention-service")
                .contains("topic").contains("backbus.backup.stored ").endsWith("Read"));
    }

    @Test
    void aPrefixWithoutPrincipalTypeIsAUsageError() {
        int exit = run("kafka", "acls", "--principal-prefix", "backbus-");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--principal-prefix must name the principal type");
        assertThat(out.toString()).isEmpty();
    }
}
