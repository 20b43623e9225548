package dev.unroll.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.runtime.UnrollException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link UserClassPath#parse}: the options win over UNROLL_CLASSPATH, and the variable's errors name it. */
class UserClassPathParseTest {
    @TempDir
    Path dir;

    @Test
    void theVariableIsReadOnlyWithoutTheOption() throws IOException {
        Path a = Files.createDirectories(dir.resolve("a"));
        Path b = Files.createDirectories(dir.resolve("b"));
        UserClassPath.Request fromEnv = UserClassPath.parse(List.of("inspect"), a + File.pathSeparator + b);
        assertEquals(List.of(a, b), fromEnv.entries());
        assertEquals(List.of("inspect"), fromEnv.args());
        UserClassPath.Request fromOption = UserClassPath.parse(List.of("-cp", b.toString(), "inspect", "--classpath=" + a), a.toString());
        assertEquals(List.of(b, a), fromOption.entries());
        assertEquals(List.of("inspect"), fromOption.args());
        assertEquals(List.of(), UserClassPath.parse(List.of("inspect"), "  ").entries());
    }

    @Test
    void argumentsAfterDoubleDashAreLeftAlone() {
        UserClassPath.Request r = UserClassPath.parse(List.of("run", "--", "-cp", "x"), null);
        assertEquals(List.of(), r.entries());
        assertEquals(List.of("run", "--", "-cp", "x"), r.args());
    }

    @Test
    void aBadVariableIsNamed() {
        UnrollException e = assertThrows(UnrollException.class, () -> UserClassPath.parse(List.of("inspect"), dir.resolve("nope.jar").toString()));
        assertTrue(e.getMessage().startsWith("UNROLL_CLASSPATH: no jar or folder '"), e.getMessage());
    }
}
