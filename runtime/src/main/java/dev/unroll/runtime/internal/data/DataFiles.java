package dev.unroll.runtime.internal.data;

import dev.unroll.runtime.UnrollException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
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
 *   <li>the project's shared reference folder (which also holds the TRM golden files, 45 MB, too large
 *       to version): {@code -D}{@value #SHARED_PROPERTY}{@code =DIR}, else the environment variable
 *       {@value #SHARED_ENV}, else {@code ../shared} beside the repository. A relative value is taken
 *       from the repository root (from the working directory when there is none), as the scripts take
 *       it; a value that names no folder is an error, never skipped.
 * </ol>
 * Every folder has the same layout ({@code golden/}, {@code models/}).
 */
public final class DataFiles {
    /** A data folder to search first. */
    public static final String PROPERTY = "unroll.data";
    /** The same, from the environment. */
    public static final String ENV = "UNROLL_DATA";
    /** The shared reference folder, read before {@link #SHARED_ENV}; unset, {@code ../shared} beside the repository. */
    public static final String SHARED_PROPERTY = "unroll.shared";
    /** The same, from the environment (the scripts read it too). */
    public static final String SHARED_ENV = "UNROLL_SHARED";
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
        return relative + " not found in " + roots() + ": put the project's shared reference folder beside the repository (../shared) "
                + "or set " + SHARED_ENV + " (-D" + SHARED_PROPERTY + "=DIR) to it, or pass -D" + PROPERTY + "=DIR (or set " + ENV
                + ") to a folder with the same layout";
    }

    /**
     * @return the data folders that exist, in search order
     * @throws UnrollException when {@value #SHARED_PROPERTY} or {@value #SHARED_ENV} is set but names no folder
     */
    public static List<Path> roots() {
        Set<Path> roots = new LinkedHashSet<>();
        for (String dir : new String[] {System.getProperty(PROPERTY), System.getenv(ENV)}) {
            if (dir != null && !dir.isBlank()) {
                roots.add(Path.of(dir).toAbsolutePath().normalize());
            }
        }
        Optional<Path> repo = repository();
        repo.ifPresent(r -> roots.add(r.resolve(FIXTURES)));
        shared(System.getProperty(SHARED_PROPERTY), System.getenv(SHARED_ENV), repo).ifPresent(roots::add);
        List<Path> existing = new ArrayList<>();
        for (Path r : roots) {
            if (Files.isDirectory(r)) {
                existing.add(r);
            }
        }
        return existing;
    }

    /**
     * @param property the value of {@value #SHARED_PROPERTY}, or null
     * @param env the value of {@value #SHARED_ENV}, or null
     * @param repo the repository root, if found
     * @return the shared reference folder: the property's, else the variable's (empty counts as unset), else
     *     {@code shared} beside the repository (which may not exist; none without a repository)
     * @throws UnrollException naming the property or variable and its value, when the one read names no folder
     */
    static Optional<Path> shared(String property, String env, Optional<Path> repo) {
        String name;
        String value;
        if (property != null && !property.isEmpty()) {
            name = "-D" + SHARED_PROPERTY;
            value = property;
        } else if (env != null && !env.isEmpty()) {
            name = SHARED_ENV;
            value = env;
        } else {
            return repo.map(r -> r.resolveSibling("shared"));
        }
        String rule = " is not a folder: it must name the project's shared reference folder (golden/, models/, tornadovm/), "
                + "a relative path being taken from the repository root" + repo.map(r -> " " + r).orElse(" (none found: the working directory)");
        Path dir;
        try {
            dir = (repo.isPresent() ? repo.get().resolve(value) : Path.of(value)).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new UnrollException(name + "=" + value + rule);
        }
        if (!Files.isDirectory(dir)) {
            throw new UnrollException(name + "=" + value + (dir.toString().equals(value) ? "" : " (" + dir + ")") + rule);
        }
        return Optional.of(dir);
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
