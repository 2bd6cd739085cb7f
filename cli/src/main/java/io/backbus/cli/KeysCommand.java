package io.backbus.cli;

import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/**
 * {@code backbus keys list | rotate | rewrap}: the uploader's artifact keyset through its {@code /keys} API (an
 * administrator's commands). Prints key ids, statuses and times as a table; never key material, which the API does
 * not give out.
 */
@Command(name = "keys", mixinStandardHelpOptions = true,
        description = "The uploader's artifact encryption keys (admin).",
        subcommands = {KeysCommand.ListKeys.class, KeysCommand.Rotate.class, KeysCommand.Rewrap.class})
final class KeysCommand {

    /** Where the uploader is. */
    static final class Target {
        @Option(names = "--uploader-url", description = "uploader-service base URL; default: the one in "
                + "<data-dir>/local-stack.json")
        URI uploaderUrl;

        @Option(names = "--data-dir", defaultValue = "data", description = "default: ${DEFAULT-VALUE}")
        Path dataDir;

        URI base() {
            return uploaderUrl != null ? uploaderUrl
                    : LocalStackState.serviceUrl(dataDir, "uploader-service", "--uploader-url");
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true,
            description = "List the keys of the keyset: id, status, primary, creation time; and which "
                    + "key-encryption key protects it (uploader GET /keys).")
    static final class ListKeys implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Target target;

        @Override
        public Integer call() {
            return run(spec, "list", target, BackbusApi::keys, "/keys", keyset -> keyset, (out, body) -> { });
        }
    }

    @Command(name = "rotate", mixinStandardHelpOptions = true,
            description = "Add a new primary key: new backups are encrypted with it, older keys stay so every "
                    + "older backup still decrypts (uploader POST /keys/rotate).")
    static final class Rotate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Target target;

        @Override
        public Integer call() {
            return run(spec, "rotate", target, BackbusApi::rotateKeys, "/keys/rotate", body -> body.path("keyset"),
                    (out, body) -> out.println("rotated: new primary key "
                            + body.path("primaryKeyId").asString() + " (was "
                            + body.path("previousPrimaryKeyId").asString() + "); older keys kept"));
        }
    }

    @Command(name = "rewrap", mixinStandardHelpOptions = true,
            description = "Encrypt the keyset again under the configured key-encryption key, keys unchanged "
                    + "(uploader POST /keys/rewrap): after moving from the local master key to AWS KMS, say.")
    static final class Rewrap implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Mixin
        Target target;

        @Override
        public Integer call() {
            return run(spec, "rewrap", target, BackbusApi::rewrapKeys, "/keys/rewrap", body -> body.path("keyset"),
                    (out, body) -> out.println("rewrapped: keyset was encrypted by "
                            + body.path("encryptedBefore").asString() + ", now by "
                            + body.path("encryptedNow").asString() + "; keys unchanged"));
        }
    }

    private interface Headline {
        void print(PrintWriter out, JsonNode body);
    }

    private static int run(CommandSpec spec, String name, Target target, Function<BackbusApi, BackbusApi.Answer> call,
            String path, Function<JsonNode, JsonNode> keysetOf, Headline headline) {
        try {
            URI base = target.base();
            BackbusApi.Answer answer = call.apply(new BackbusApi(null, null, base, ApiToken.resolve(target.dataDir).orElse(null)));
            URI uri = base.resolve(path);
            if (!answer.ok()) {
                String hint = answer.status() == 401 ? " (no or invalid credentials)"
                        : answer.status() == 403 ? " (key commands need the admin role)" : "";
                throw new CliException(uri + " answered " + answer.problem() + hint);
            }
            JsonNode keyset = answer.body() == null ? null : keysetOf.apply(answer.body());
            if (keyset == null || !keyset.path("keys").isArray()) {
                throw new CliException(uri + " answered HTTP " + answer.status() + " without a keyset");
            }
            PrintWriter out = spec.commandLine().getOut();
            headline.print(out, answer.body());
            printKeyset(out, keyset);
            return 0;
        } catch (CliException e) {
            spec.commandLine().getErr().println("backbus keys " + name + " failed: " + e.getMessage());
            return 1;
        }
    }

    /** The keys as a table, then the key-encryption key. */
    static void printKeyset(PrintWriter out, JsonNode keyset) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"KEY ID", "STATUS", "PRIMARY", "CREATED"});
        for (JsonNode key : keyset.path("keys")) {
            String created = key.path("createdAt").asString("");
            rows.add(new String[] {key.path("id").asString(), key.path("status").asString(),
                    key.path("primary").asBoolean() ? "yes" : "", created.isEmpty() ? "unknown" : created});
        }
        int[] widths = new int[4];
        for (String[] row : rows) {
            for (int i = 0; i < row.length; i++) {
                widths[i] = Math.max(widths[i], row[i].length());
            }
        }
        for (String[] row : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                line.append(i < row.length - 1 ? String.format("%-" + (widths[i] + 2) + "s", row[i]) : row[i]);
            }
            out.println(line.toString().stripTrailing());
        }
        out.println("key-encryption key: " + keyset.path("keyEncryptionKey").asString());
        if (keyset.path("rewrapPending").asBoolean()) {
            out.println("the keyset is still encrypted by " + keyset.path("keysetEncryptedBy").asString()
                    + ": run 'backbus keys rewrap'");
        }
    }

    private KeysCommand() {
    }
}
