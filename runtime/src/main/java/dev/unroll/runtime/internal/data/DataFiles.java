package dev.unroll.runtime.internal.data;

import dev.unroll.runtime.UnrollException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds reference data (golden files, models) by a path relative to a data folder, such as
 * {@code golden/attention/gla.json} or {@code models/stories260K/stories260K.bin}: the one place that
 * knows where they live, for the tests, the demo, the command line and the benchmarks. The folders
 * searched, in order:
 * <ol>
 *   <li>{@code -D}{@value #PROPERTY}{@code =DIR} or the environment variable {@value #ENV};
 *   <li>the repository's fixtures, {@value #FIXTURES} (the attention golden files and stories260K,
 *       small enough to version), in the repository that holds the working directory or this class;
 *   <li>the project's shared reference folder beside the repository, {@code ../shared} (which also holds
 *       the TRM golden files, 45 MB, too large to version), or {@code -Dunroll.shared=DIR}.
 * </ol>
 * Every folder has the same layout ({@code golden/}, {@code models/}).
 */
public final class DataFiles {
    /** A data folder to search first. */
    public static final String PROPERTY = "unroll.data";
    /** The same, from the environment. */
    public static final String ENV = "UNROLL_DATA";
    /** The shared reference folder, when it is not beside the repository. */
    public static final String SHARED_PROPERTY = "unroll.shared";
    /** The fixtures' folder, relative to the repository root. */
    public static final String FIXTURES = "runtime/src/test/resources/data";

    private DataFiles() {}

    /**
     * @param relative a path under a data folder, e.g. {@code golden/trm/trm_seed0.safetensors}
     * @return the file or folder in the first data folder that has it, if any
     */
    public static Optional<Path> find(String relative) {
        for (Path root : roots()) {
            Path p = root.resolve(relative);
            if (Files.exists(p)) {
                return Optional.of(p.normalize());
            }
        }
        return Optional.empty();
    }

    /**
     * @param relative a path under a data folder
     * @return the file or folder
     * @throws UnrollException naming what is missing, where it was looked for and how to supply it
     */
    public static Path require(String relative) {
        return find(relative).orElseThrow(() -> new UnrollException(missing(relative)));
    }

    /**
     * @param relative a path under a data folder
     * @return one line: what is missing, where it was looked for, and how to supply it
     */
    public static String missing(String relative) {
        return relative + " not found in " + roots() + ": put the project's shared reference folder beside the repository (../shared), "
                + "or pass -D" + PROPERTY + "=DIR (or set " + ENV + ") to a folder with the same layout";
    }

    /** @return the data folders that exist, in search order */
    public static List<Path> roots() {
        Set<Path> roots = new LinkedHashSet<>();
        for (String dir : new String[] {System.getProperty(PROPERTY), System.getenv(ENV)}) {
            if (dir != null && !dir.isBlank()) {
                roots.add(Path.of(dir).toAbsolutePath().normalize());
            }
        }
        Optional<Path> repo = repository();
        repo.ifPresent(r -> roots.add(r.resolve(FIXTURES)));
        String shared = System.getProperty(SHARED_PROPERTY);
        if (shared != null && !shared.isBlank()) {
            roots.add(Path.of(shared).toAbsolutePath().normalize());
        }
        repo.ifPresent(r -> roots.add(r.resolveSibling("shared")));
        List<Path> existing = new ArrayList<>();
        for (Path r : roots) {
            if (Files.isDirectory(r)) {
                existing.add(r);
            }
        }
        return existing;
    }

    /** @return the repository root: the nearest folder above the working directory, or above this class's jar, that has the fixtures */
    static Optional<Path> repository() {
        Optional<Path> fromCwd = above(Path.of("").toAbsolutePath());
        if (fromCwd.isPresent()) {
            return fromCwd;
        }
        try {
            var source = DataFiles.class.getProtectionDomain().getCodeSource();
            return source == null ? Optional.empty() : above(Path.of(source.getLocation().toURI()).toAbsolutePath());
        } catch (URISyntaxException | IllegalArgumentException | SecurityException e) {
            return Optional.empty();
        }
    }

    private static Optional<Path> above(Path start) {
        for (Path p = start; p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve(FIXTURES))) {
                return Optional.of(p.normalize());
            }
        }
        return Optional.empty();
    }
}
