package io.backbus.cli;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/** Reads {@code <data-dir>/local-stack.json}, written by {@code backbus local up}. */
final class LocalStackState {

    private static final JsonMapper JSON = JsonMapper.builder().build();

    private LocalStackState() {
    }

    /**
     * {@code services.<service>.url} of a stack started with {@code backbus local up}.
     *
     * @param option the command-line option that would have named the URL, for the error message
     */
    static URI serviceUrl(Path dataDir, String service, String option) {
        Path file = dataDir.resolve("local-stack.json");
        if (!Files.isRegularFile(file)) {
            throw new CliException("no " + option + " and no local stack state at " + file.toAbsolutePath()
                    + " (start one with 'backbus local up', or pass " + option + ")");
        }
        try {
            String url = JSON.readTree(file.toFile()).path("services").path(service).path("url").asString("");
            if (url.isBlank()) {
                throw new CliException(file + " names no services." + service + ".url");
            }
            return URI.create(url);
        } catch (JacksonException e) {
            throw new CliException("cannot read " + file + ": " + e.getOriginalMessage(), e);
        } catch (IllegalArgumentException e) {
            throw new CliException("invalid " + service + " URL in " + file + ": " + e.getMessage(), e);
        }
    }
}
