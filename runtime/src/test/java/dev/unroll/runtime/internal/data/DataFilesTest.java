package dev.unroll.runtime.internal.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.UnrollException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shared reference folder in {@link DataFiles}: {@code -Dunroll.shared=DIR}, else
 * {@code UNROLL_SHARED}, else {@code ../shared} beside the repository. A folder given is searched in the
 * same layout as the others; a value that names no folder is an error naming the property or variable
 * and the value, never skipped in silence.
 */
class DataFilesTest {
    private static final String PROBE = "golden/unroll-shared-probe/probe.json";

    private String saved;

    @BeforeEach
    void save() {
        saved = System.getProperty(DataFiles.SHARED_PROPERTY);
    }

    @AfterEach
    void restore() {
        if (saved == null) {
            System.clearProperty(DataFiles.SHARED_PROPERTY);
        } else {
            System.setProperty(DataFiles.SHARED_PROPERTY, saved);
        }
    }

    @Test
    void aFolderGivenByThePropertyIsSearched(@TempDir Path shared) throws IOException {
        Path probe = shared.resolve(PROBE);
        Files.createDirectories(probe.getParent());
        Files.writeString(probe, "{}");
        System.setProperty(DataFiles.SHARED_PROPERTY, shared.toString());
        assertEquals(Optional.of(probe.toAbsolutePath().normalize()), DataFiles.find(PROBE));
        assertEquals(probe.toAbsolutePath().normalize(), DataFiles.require(PROBE));
        assertTrue(DataFiles.roots().contains(shared.toAbsolutePath().normalize()), DataFiles.roots().toString());
    }

    @Test
    void aMissingFolderIsAnErrorNamingThePropertyAndTheValue(@TempDir Path tmp) {
        String missing = tmp.resolve("no-such-folder").toString();
        System.setProperty(DataFiles.SHARED_PROPERTY, missing);
        UnrollException e = assertThrows(UnrollException.class, () -> DataFiles.find(PROBE));
        assertTrue(e.getMessage().startsWith("-Dunroll.shared=" + missing + " is not a folder"), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line");
        assertThrows(UnrollException.class, () -> DataFiles.missing(PROBE));
    }

    @Test
    void aFileIsNotAFolder(@TempDir Path tmp) throws IOException {
        Path file = Files.writeString(tmp.resolve("shared.txt"), "not a folder");
        System.setProperty(DataFiles.SHARED_PROPERTY, file.toString());
        UnrollException e = assertThrows(UnrollException.class, DataFiles::roots);
        assertTrue(e.getMessage().contains("unroll.shared=" + file), e.getMessage());
    }

    @Test
    void thePropertyComesBeforeTheVariableAndTheVariableBeforeTheDefault(@TempDir Path tmp) throws IOException {
        Path repo = Files.createDirectories(tmp.resolve("repo"));
        Path a = Files.createDirectories(tmp.resolve("a"));
        Path b = Files.createDirectories(tmp.resolve("b"));
        assertEquals(Optional.of(a), DataFiles.shared(a.toString(), b.toString(), Optional.of(repo)));
        assertEquals(Optional.of(b), DataFiles.shared(null, b.toString(), Optional.of(repo)));
        assertEquals(Optional.of(b), DataFiles.shared("", b.toString(), Optional.of(repo)));
        assertEquals(Optional.of(tmp.resolve("shared")), DataFiles.shared(null, null, Optional.of(repo)));
        assertEquals(Optional.of(tmp.resolve("shared")), DataFiles.shared(null, "", Optional.of(repo)));
        assertEquals(Optional.empty(), DataFiles.shared(null, null, Optional.empty()));
    }

    @Test
    void aRelativeValueIsTakenFromTheRepositoryRoot(@TempDir Path tmp) throws IOException {
        Path repo = Files.createDirectories(tmp.resolve("repo"));
        Path beside = Files.createDirectories(tmp.resolve("elsewhere"));
        assertEquals(Optional.of(beside), DataFiles.shared(null, "../elsewhere", Optional.of(repo)));
        UnrollException e = assertThrows(UnrollException.class, () -> DataFiles.shared(null, "../nowhere", Optional.of(repo)));
        assertTrue(e.getMessage().startsWith("UNROLL_SHARED=../nowhere (" + tmp.resolve("nowhere") + ") is not a folder"), e.getMessage());
    }

    @Test
    void aMissingFolderFromTheVariableIsAnErrorNamingTheVariableAndTheValue() {
        UnrollException e = assertThrows(UnrollException.class, () -> DataFiles.shared(null, "/nonexistent/unroll-shared", Optional.empty()));
        assertTrue(e.getMessage().startsWith("UNROLL_SHARED=/nonexistent/unroll-shared is not a folder: it must name"), e.getMessage());
    }
}
