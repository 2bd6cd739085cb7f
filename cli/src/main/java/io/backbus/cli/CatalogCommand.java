package io.backbus.cli;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;

/** {@code backbus catalog rebuild}: the catalog from the manifests in the bucket, after its database was lost. */
@Command(name = "catalog", mixinStandardHelpOptions = true, description = "Work on the backup catalog.",
        subcommands = {CatalogCommand.Rebuild.class})
final class CatalogCommand {

    @Command(name = "rebuild", mixinStandardHelpOptions = true,
            description = "Add every backup whose manifest.json is in the bucket and not in the catalog "
                    + "(retention-service POST /catalog/rebuild). Safe to run again.")
    static final class Rebuild implements Callable<Integer> {

        @Spec
        CommandSpec spec;

        @Option(names = "--retention-url", description = "retention-service base URL; default: the one in "
                + "<data-dir>/local-stack.json")
        URI retentionUrl;

        @Option(names = "--data-dir", defaultValue = "data", description = "default: ${DEFAULT-VALUE}")
        Path dataDir;

        @Option(names = "--timeout", defaultValue = "PT10M", description = "how long the rebuild may take "
                + "(ISO-8601), default: ${DEFAULT-VALUE}")
        Duration timeout;

        @Override
        public Integer call() {
            try {
                URI base = retentionUrl != null ? retentionUrl : LocalStackState.serviceUrl(dataDir, "retention-service", "--retention-url");
                JsonNode result = rebuild(base);
                var out = spec.commandLine().getOut();
                out.println("catalog rebuild from " + base + ": scanned " + result.path("scanned").asInt()
                        + ", added " + result.path("added").asInt() + ", already cataloged "
                        + result.path("alreadyCataloged").asInt() + ", invalid " + result.path("invalid").size());
                for (JsonNode invalid : result.path("invalid")) {
                    out.println("  invalid " + invalid.path("key").asString() + ": "
                            + invalid.path("reason").asString());
                }
                return 0;
            } catch (CliException e) {
                spec.commandLine().getErr().println("backbus catalog rebuild failed: " + e.getMessage());
                return 1;
            }
        }

        private JsonNode rebuild(URI base) {
            BackbusApi.Answer answer = new BackbusApi(null, base, ApiToken.resolve(dataDir).orElse(null))
                    .rebuildCatalog(timeout);
            URI uri = base.resolve("/catalog/rebuild");
            if (!answer.ok()) {
                throw new CliException(uri + " answered " + answer.problem());
            }
            JsonNode body = answer.body();
            if (body == null || !body.isObject() || !body.has("scanned")) {
                throw new CliException(uri + " answered HTTP " + answer.status() + " without a rebuild result");
            }
            return body;
        }
    }
}
