package dev.unroll.examples.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.cli.Unroll;
import dev.unroll.cli.verify.GoldenFile;
import dev.unroll.runtime.Hostile;
import dev.unroll.runtime.TestData;
import dev.unroll.runtime.safetensors.DType;
import dev.unroll.runtime.safetensors.SafetensorsWriter;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The command line against careless and hostile arguments and golden files: each case ends in
 * bounded time with the documented exit code (2 usage, 3 bad input) and one clean line on stderr: no
 * stack trace, no control character, no endless line, no silent success.
 */
class CliCasesTest {
    @TempDir
    static Path dir;

    /**
     * @param name what is tried
     * @param code the exit code it must give
     * @param expect a fragment of the error line
     * @param args the command line ({@code %DIR%} is the temporary folder)
     */
    record Case(String name, int code, String expect, List<String> args) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Case bad(String name, int code, String expect, String... args) {
        return new Case(name, code, expect, List.of(args));
    }

    static List<Case> cases() throws Exception {
        Path model = TestData.fixture("models/stories260K/stories260K.bin");
        Path fifo = dir.resolve("fifo");
        new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor();
        return List.of(
                bad("run: a --tokenizer that does not exist", 3, "not a regular file", "run", "transformer", "--tokenizer", dir.resolve("none.bin").toString()),
                bad("run: a --tokenizer that is a directory", 3, "not a regular file", "run", "transformer", "--tokenizer", dir.toString()),
                bad("run: --tokenizer /dev/zero", 3, "not a regular file", "run", "transformer", "--tokenizer", "/dev/zero"),
                bad("run: --model that is a directory", 3, "not found", "run", "transformer", "--model", dir.toString()),
                bad("run: --tokens 2147483647", 3, "exceeds maxSeq", "run", "transformer", "--tokens", "2147483647"),
                bad("run: --depth 100000", 3, "depth (100000) must be <= 64", "run", "transformer", "--loop", "1:3", "--depth", "100000"),
                bad("run: --format Q4", 2, "Invalid value for option '--format'", "run", "transformer", "--format", "Q4"),
                bad("run: --format BF16 for a model no BF16 model was generated for", 2, "no generated model of", "run", "transformer",
                        "--model", tinyLlama2c().toString(), "--format", "BF16"),
                bad("run: --weights a named pipe", 3, "not a regular file", "run", "trm", "--weights", fifo.toString()),
                bad("run: --prompt without a tokenizer", 2, "--prompt needs a tokenizer", "run", "transformer", "--model", copy(model).toString(),
                        "--prompt", "Once"),
                bad("bench: --seconds Infinity", 2, "must be in [0.01, 3600.0]", "bench", "Gla_D16", "--seconds", "Infinity"),
                bad("bench: --seconds 1e300", 2, "must be in [0.01, 3600.0]", "bench", "Gla_D16", "--seconds", "1e300"),
                bad("bench: --seconds 1e-300", 2, "must be in [0.01, 3600.0]", "bench", "Gla_D16", "--seconds", "1e-300"),
                bad("verify: a golden file with zero tokens", 3, "input.tokens is empty",
                        "verify", transformerGolden("zero.safetensors", new int[0]).toString()),
                bad("verify: a golden file with no expected tensor", 3, "nothing to verify",
                        "verify", attentionGolden("noexp.safetensors", "{\"mode\":\"GLA\",\"width\":16}", null, false).toString()),
                bad("verify: a tolerance of 1e308", 3, "must be in [0, 0.1]",
                        "verify", attentionGolden("loose.safetensors", "{\"mode\":\"GLA\",\"width\":16}", "{\"default\":{\"rel\":1e308}}", true).toString()),
                bad("verify: width 4294967312", 3, "must be a 32-bit integer",
                        "verify", attentionGolden("wrap.safetensors", "{\"mode\":\"GLA\",\"width\":4294967312}", null, true).toString()),
                bad("verify: a misspelt descriptor member", 3, "unknown member \"wdith\"",
                        "verify", attentionGolden("typo.safetensors", "{\"mode\":\"GLA\",\"width\":16,\"wdith\":16}", null, true).toString()),
                bad("verify: an unknown mode", 3, "mode must be one of",
                        "verify", attentionGolden("mode.safetensors", "{\"mode\":\"FOO\",\"width\":16}", null, true).toString()),
                bad("verify: a TRM golden file with 10^9 latent steps", 3, "cycles x (latentSteps + 1)",
                        "verify", golden("trm.safetensors", "trm", "{\"hidden\":32,\"context\":9,\"vocab\":5,\"latentSteps\":1000000000}").toString()),
                bad("verify: a transformer golden file with 10^6 layers", 3, "layers (1000000) must be <= 4096", "verify", golden("deep.safetensors",
                        "transformer", "{\"layers\":1000000,\"width\":64,\"heads\":8,\"ffnHidden\":172,\"vocab\":512,\"maxSeq\":64}").toString()),
                bad("verify: more teacher-forced tokens than maxSeq", 3, "a generation uses 1 to maxSeq",
                        "verify", transformerGolden("long.safetensors", new int[600]).toString()),
                bad("verify: a reference JSON that is not UTF-8", 3, "not valid UTF-8",
                        "verify", write("bad.json", new byte[] {'{', '"', (byte) 0xc3, '"', '}'}).toString()),
                bad("verify: a tensor name with a terminal escape", 3, "\\u001b",
                        "verify", attentionGolden("esc.safetensors", "{\"mode\":\"GLA\",\"width\":16}", null, true, "w\u001b[31m").toString()));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void eachCaseIsOneCleanLineWithItsExitCode(Case c) {
        String[] result = assertTimeoutPreemptively(Hostile.LIMIT, () -> run(c.args()), c.name() + ": a hang");
        int code = Integer.parseInt(result[0]);
        String err = result[2];
        assertEquals(c.code(), code, () -> c.name() + ": exit " + code + "\nstdout: " + result[1] + "\nstderr: " + err);
        assertTrue(err.contains(c.expect()), () -> c.name() + ": stderr does not say \"" + c.expect() + "\": " + err);
        assertEquals(1, err.strip().lines().count(), () -> c.name() + ": more than one line: " + err);
        assertFalse(err.contains("\tat ") || err.contains("Exception:"), () -> c.name() + ": a stack trace or raw exception: " + err);
        assertFalse(err.strip().chars().anyMatch(Character::isISOControl), () -> c.name() + ": a control character: " + err);
        assertTrue(err.length() < 2300, () -> c.name() + ": a line of " + err.length() + " characters");
    }

    private static String[] run(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Unroll.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new String[] {Integer.toString(code), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    // ---------------------------------------------------------------- golden files

    private static Path write(String name, byte[] bytes) throws Exception {
        return Files.write(dir.resolve(name), bytes);
    }

    /** A llama2.c checkpoint of a shape no example has (width 8, 1 layer, 2 heads, FFN 16, vocab 16, 8 positions), all weights 0.01. */
    private static Path tinyLlama2c() throws Exception {
        int dim = 8;
        int hidden = 16;
        int vocab = 16;
        int seq = 8;
        int floats = vocab * dim + dim + 4 * dim * dim + dim + 3 * hidden * dim + dim + seq * (dim / 2);
        java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(28 + 4 * floats).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        b.putInt(dim).putInt(hidden).putInt(1).putInt(2).putInt(2).putInt(vocab).putInt(seq);
        while (b.hasRemaining()) {
            b.putFloat(0.01f);
        }
        Path d = Files.createDirectories(dir.resolve("tiny"));
        return Files.write(d.resolve("tiny.bin"), b.array());
    }

    private static Path copy(Path model) throws Exception {
        Path d = Files.createDirectories(dir.resolve("alone"));
        return Files.copy(model, d.resolve("model.bin"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    private static Path golden(String name, String family, String descriptor) {
        Path p = dir.resolve(name);
        new SafetensorsWriter().metadata(GoldenFile.FAMILY, family).metadata(GoldenFile.DESCRIPTOR, descriptor)
                .add("input.tokens", DType.I32, new long[] {1}, new int[] {1}).write(p);
        return p;
    }

    private static Path attentionGolden(String name, String descriptor, String tolerance, boolean expected, String... extraTensors) {
        Path p = dir.resolve(name);
        SafetensorsWriter w = new SafetensorsWriter().metadata(GoldenFile.FAMILY, "linear-attention").metadata(GoldenFile.DESCRIPTOR, descriptor);
        if (tolerance != null) {
            w.metadata(GoldenFile.TOLERANCE, tolerance);
        }
        w.add("input.x", DType.F32, new long[] {1, 16}, new float[16]);
        if (expected) {
            w.add("expected.y", DType.F32, new long[] {1, 16}, new float[16]);
        }
        for (String t : extraTensors) {
            w.add(t, DType.F32, new long[] {1}, new float[1]);
        }
        w.write(p);
        return p;
    }

    private static Path transformerGolden(String name, int[] tokens) {
        Path p = dir.resolve(name);
        new SafetensorsWriter().metadata(GoldenFile.FAMILY, "transformer")
                .metadata(GoldenFile.DESCRIPTOR, "{\"layers\":1,\"width\":8,\"heads\":2,\"ffnHidden\":8,\"vocab\":4,\"maxSeq\":512}")
                .add("input.tokens", DType.I32, new long[] {tokens.length}, tokens)
                .add("expected.logits", DType.F32, new long[] {tokens.length, 4}, new float[tokens.length * 4]).write(p);
        return p;
    }
}
