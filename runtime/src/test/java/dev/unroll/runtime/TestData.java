package dev.unroll.runtime;

import dev.unroll.runtime.internal.data.DataFiles;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;

/**
 * Reference data for tests, through {@link DataFiles}: fixtures that the repository holds (a test that
 * cannot find one fails), and the large references it does not (a test that cannot find one is skipped,
 * with one printed line per missing file saying what is missing and how to supply it).
 */
public final class TestData {
    private static final Set<String> REPORTED = new HashSet<>();

    private TestData() {}

    /**
     * @param relative a path under a data folder that the repository's fixtures hold
     * @return the file
     */
    public static Path fixture(String relative) {
        return DataFiles.require(relative);
    }

    /**
     * @param relative a path under a data folder that only the shared reference folder holds
     * @return the file; when absent the calling test is skipped (aborted), never passed
     */
    public static Path optional(String relative) {
        Optional<Path> p = DataFiles.find(relative);
        if (p.isEmpty()) {
            String line = "skipped: " + DataFiles.missing(relative);
            synchronized (REPORTED) {
                if (REPORTED.add(relative)) {
                    System.out.println("[Unroll tests] " + line);
                }
            }
            Assumptions.abort(line);
        }
        return p.get();
    }
}
