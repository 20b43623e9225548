package dev.unroll.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.cli.verify.AttentionVerifier;
import dev.unroll.cli.verify.Tolerance;
import dev.unroll.runtime.TestData;
import dev.unroll.runtime.internal.ReferenceGolden;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The launcher and {@code verify}, through the generic engine (no generated kernels in this module). */
class VerifyCommandTest {
    @TempDir
    Path dir;

    record Run(int code, String out, String err) {}

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Unroll.run(List.of(args), new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void verifiesAReferenceJsonFile() {
        Run r = run("verify", TestData.fixture("golden/attention/gated_deltanet_pertoken.amp.json").toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("generic engine"), r.out());
        assertTrue(r.out().contains("PASS expected.y"), r.out());
        assertTrue(r.out().contains("PASS (4/4 tensors)"), r.out());
    }

    @Test
    void verifiesAConvertedGoldenFileAndFailsATightenedOne() throws Exception {
        ReferenceGolden g = ReferenceGolden.read(TestData.fixture("golden/attention/rwkv7.amp.json"));
        Path ok = dir.resolve("rwkv7.safetensors");
        AttentionVerifier.toGoldenFile(g, new Tolerance(0, 1e-12)).write(ok);
        Run r = run("verify", "--generic", ok.toString());
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().matches("(?s).*PASS expected\\.final_state\\s+n=64 .*"), r.out());

        Path strict = dir.resolve("strict.safetensors");
        AttentionVerifier.toGoldenFile(g, new Tolerance(0, 0)).write(strict);
        Run f = run("verify", "--generic", strict.toString(), ok.toString());
        assertEquals(ExitCodes.CHECK_FAILED, f.code(), f.out());
        assertTrue(f.out().contains("some files FAIL"), f.out());
    }

    @Test
    void reportsUsageAndInputErrorsWithoutStackTraces() throws Exception {
        assertEquals(ExitCodes.USAGE, run().code());
        assertEquals(ExitCodes.USAGE, run("frobnicate").code());
        Run none = run("verify");
        assertEquals(ExitCodes.USAGE, none.code());
        assertTrue(none.err().contains("Missing required parameter: 'FILE'"), none.err());
        Run missing = run("verify", dir.resolve("nope.safetensors").toString());
        assertEquals(ExitCodes.BAD_INPUT, missing.code());
        assertTrue(missing.err().contains("no such file"), missing.err());
        Path junk = dir.resolve("junk.safetensors");
        Files.write(junk, new byte[] {1, 2, 3});
        Run bad = run("verify", junk.toString());
        assertEquals(ExitCodes.BAD_INPUT, bad.code());
        assertTrue(!bad.err().contains("\tat "), "no stack trace without --debug: " + bad.err());
        assertTrue(run("verify", "--help").out().startsWith("usage: unroll verify"));
        assertEquals(0, run("--help").code());
    }
}
