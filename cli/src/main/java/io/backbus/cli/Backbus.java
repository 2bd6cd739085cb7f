package io.backbus.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code backbus} command. */
@Command(name = "backbus", mixinStandardHelpOptions = true, version = "backbus 0.1.0",
        description = "Backbus: scheduled, encrypted PostgreSQL backups on Kafka, S3 and proven restores.",
        subcommands = {DemoCommand.class, LocalCommand.class, RestoreCommand.class, CatalogCommand.class,
                KafkaCommand.class, KeysCommand.class})
public final class Backbus {

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line as {@link #main} runs it; tests set its out and err. */
    static CommandLine commandLine() {
        return new CommandLine(new Backbus()).setCaseInsensitiveEnumValuesAllowed(true);
    }
}
