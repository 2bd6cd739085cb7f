package io.backbus.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where the Backbus checkout is: {@code -Dbackbus.home} (set by bin/backbus and bin/backbus-bench), else the working directory. */
public final class Home {

    public static Path repoRoot() {
        String home = System.getProperty("backbus.home");
        Path root = Path.of(home == null ? "." : home).toAbsolutePath().normalize();
        if (!Files.isDirectory(root.resolve("scheduler-service"))) {
            throw new CliException("not a Backbus checkout: " + root + " (run bin/backbus from the checkout)");
        }
        return root;
    }

    private Home() {
    }
}
