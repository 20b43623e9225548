package dev.unroll.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Locates {@code ../shared} (golden files, models), which CI provides beside the checkout. */
public final class SharedData {
    private SharedData() {}

    /** @return the shared folder; fails the test with a clear message when absent */
    public static Path root() {
        String prop = System.getProperty("unroll.shared");
        Path p = prop != null ? Paths.get(prop) : Paths.get("..", "..", "shared");
        if (!Files.isDirectory(p)) {
            p = Paths.get("..", "shared");
        }
        if (!Files.isDirectory(p)) {
            throw new IllegalStateException("shared data not found at " + p.toAbsolutePath()
                    + " (set -Dunroll.shared=/path/to/shared)");
        }
        return p.normalize();
    }

    /** @param relative path under shared @return the resolved path */
    public static Path resolve(String relative) {
        return root().resolve(relative);
    }
}
