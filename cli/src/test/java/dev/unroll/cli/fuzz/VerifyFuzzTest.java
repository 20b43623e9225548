package dev.unroll.cli.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.unroll.cli.ExitCodes;
import dev.unroll.cli.Unroll;
import dev.unroll.runtime.Hostile;
import dev.unroll.runtime.fuzz.SmallBudget;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Coverage-guided fuzz target (Jazzer) for {@code unroll verify}: any file, read as a golden
 * safetensors file or (starting with a brace) as a reference JSON file, must end within the time
 * limit with exit 0 (PASS), 1 (a reported mismatch) or 3 (bad input, in one clean line): never a
 * usage error, an internal error, a stack trace or a hang. The normal test run replays the
 * committed corpus ({@code VerifyFuzzTestInputs/verify/}); {@code JAZZER_FUZZ=1} fuzzes.
 */
@ExtendWith(SmallBudget.class)
class VerifyFuzzTest {
    static final Set<Integer> ALLOWED = Set.of(ExitCodes.OK, ExitCodes.CHECK_FAILED, ExitCodes.BAD_INPUT);
    private static final Path DIR = tempDir();

    @FuzzTest(maxDuration = "15s")
    void verify(byte[] data) {
        check("verify", data);
    }

    /**
     * Runs {@code verify} on the bytes and judges the outcome.
     *
     * @param name the input, for messages
     * @param data the file's bytes
     */
    static void check(String name, byte[] data) {
        String[] r = new String[3];
        Hostile.endsCleanly(name, Hostile.LIMIT, () -> System.arraycopy(run(data), 0, r, 0, 3));
        int code = Integer.parseInt(r[0]);
        String err = r[2].strip();
        if (!ALLOWED.contains(code)) {
            throw new AssertionError(name + ": exit " + code + ": " + err);
        }
        if (code == ExitCodes.BAD_INPUT
                && (err.lines().count() != 1 || err.contains("\tat ") || err.chars().anyMatch(Character::isISOControl) || err.length() > 2300)) {
            throw new AssertionError(name + ": not one clean line: " + err);
        }
        if (r[1].chars().anyMatch(c -> Character.isISOControl(c) && c != '\n')) {
            throw new AssertionError(name + ": a control character in the report: " + r[1]);
        }
    }

    /** @return exit code, stdout, stderr */
    static String[] run(byte[] data) throws IOException {
        boolean json = data.length > 0 && data[0] == '{';
        Path p = Files.write(DIR.resolve(json ? "fuzz.json" : "fuzz.safetensors"), data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Unroll.run(List.of("verify", p.toString()), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new String[] {Integer.toString(code), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    private static Path tempDir() {
        try {
            Path d = Files.createTempDirectory("unroll-fuzz");
            d.toFile().deleteOnExit();
            d.resolve("fuzz.json").toFile().deleteOnExit();
            d.resolve("fuzz.safetensors").toFile().deleteOnExit();
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
