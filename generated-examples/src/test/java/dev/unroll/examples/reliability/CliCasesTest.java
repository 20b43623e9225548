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
                bad("run: --model, a directory that is not a model folder", 3, "has no config.json", "run", "transformer", "--model", dir.toString()),
                bad("run: --tokens 2147483647", 3, "exceeds maxSeq", "run", "transformer", "--tokens", "2147483647"),
                bad("run: --depth 100000", 3, "depth (100000) must be <= 64", "run", "transformer", "--loop", "1:3", "--depth", "100000"),
                bad("run: --format Q5", 2, "Invalid value for option '--format'", "run", "transformer", "--format", "Q5"),
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
                        "verify", attentionGolden("esc.safetensors", "{\"mode\":\"GLA\",\"width\":16}", null, true, "w\u001b[31m").toString()),
                // second round: the surfaces added since
                bad("run attention: --tokens 2147483647", 2, "--tokens 2147483647: the stream's inputs", "run", "attention", "Gla_D16", "--tokens",
                        "2147483647"),
                bad("verify: an expected.logits.index of 4 Mi entries for 8 tokens", 3, "expected.logits.index[8] = 8: indices must ascend within the 8 "
                        + "tokens computed (it lists 4194304)", "verify", indexedTransformerGolden("index.safetensors", 1 << 22).toString()),
                bad("golden trm-trace: a call shorter than x_embed", 3, "trace.call02.out has 200 values; trace.x_embed has 480",
                        "golden", "trm-trace", trmTrace("trace-short.safetensors", 200).toString(), "--descriptor", TRM, "-o", out("short")),
                bad("golden trm-trace: a call longer than x_embed (it was cut silently)", 3, "trace.call02.out has 500 values; trace.x_embed has 480",
                        "golden", "trm-trace", trmTrace("trace-long.safetensors", 500).toString(), "--descriptor", TRM, "-o", out("long")),
                bad("golden trm-trace: a trace tensor the converter does not read", 3, "tensor 'trace.call09.out' is not part of what this converter reads",
                        "golden", "trm-trace", trmTrace("gap.safetensors", 480, "trace.call09.out").toString(), "--descriptor", TRM, "-o", out("gap")),
                bad("golden reference: --rel NaN", 2, "--rel NaN: must be in [0, 0.1]", "golden", "reference", REFERENCE, "--rel", "NaN", "-o", out("r")),
                bad("golden reference: --rel 1e300 (verify would refuse the file it wrote)", 2, "--rel 1.0E300: must be in [0, 0.1]", "golden",
                        "reference", REFERENCE, "--rel", "1e300", "-o", out("r")),
                bad("golden reference: -o in a folder that does not exist", 3, "the folder", "golden", "reference", REFERENCE, "-o",
                        dir.resolve("none/x.safetensors").toString()),
                bad("golden reference: -o a directory", 3, "it is a directory; give the file to write", "golden", "reference", REFERENCE, "-o",
                        dir.toString()),
                bad("golden trm-trace: --descriptor that is not JSON", 2, "--descriptor {bad: ", "golden", "trm-trace",
                        trmTrace("ok.safetensors", 480).toString(), "--descriptor", "{bad", "-o", out("d")),
                bad("golden trm-trace: --abs NaN", 2, "--abs NaN: must be in [0, 0.1]", "golden", "trm-trace", trmTrace("ok2.safetensors", 480).toString(),
                        "--descriptor", TRM, "--abs", "NaN", "-o", out("a")),
                bad("golden llama2c: --rel -3", 2, "--rel -3.0: must be in [0, 0.1]", "golden", "llama2c", "--model", model.toString(), "--tokens", "1,2",
                        "--logits", model.toString(), "--rel", "-3", "-o", out("l")),
                bad("golden llama2c: --logits that does not exist", 3, "none.f32: not a regular file", "golden", "llama2c",
                        "--model", model.toString(), "--tokens", "1,2", "--logits", dir.resolve("none.f32").toString(), "-o", out("l")),
                bad("golden fla: --scale NaN", 2, "--scale NaN: must be a finite number", "golden", "fla", flaCall("call.safetensors", "o").toString(),
                        "--op", "naive_recurrent_gla", "--scale", "NaN", "-o", out("f")),
                bad("golden fla: --abs -1", 2, "--abs -1.0: must be in [0, 0.1]", "golden", "fla", flaCall("call2.safetensors", "o").toString(),
                        "--op", "naive_recurrent_gla", "--abs", "-1", "-o", out("f")),
                bad("golden fla: --op that is not an fla op", 2, "--op naive_gla: not one of", "golden", "fla",
                        flaCall("call3.safetensors", "o").toString(), "--op", "naive_gla", "-o", out("f")),
                bad("golden fla: a tensor the op does not take or return", 3, "tensor 'state' is not an argument or a result of naive_recurrent_gla",
                        "golden", "fla", flaCall("call4.safetensors", "o", "state").toString(), "--op", "naive_recurrent_gla", "-o", out("f")),
                bad("verify: an fla golden file with a tensor nobody reads (its final state, wrong by 1.0, under another name)", 3,
                        "tensor 'expected.ht' is not read by naive_recurrent_gla", "verify", flaGolden("ht.safetensors", "expected.ht").toString()),
                bad("verify: an fla golden file with an initial state under another name (it was dropped)", 3,
                        "tensor 'input.h0' is not read by naive_recurrent_gla", "verify", flaGolden("h0.safetensors", "input.h0").toString()),
                bad("verify: a linear-attention golden file with an expectation under a misspelt name (it passed unread)", 3,
                        "tensor 'expected.final_sate' is not read by the linear-attention verifier", "verify",
                        attentionGolden("unread-att.safetensors", "{\"mode\":\"GLA\",\"width\":16}", null, true, "expected.final_sate").toString()),
                bad("verify: a transformer golden file with an expectation under a misspelt name", 3,
                        "tensor 'expected.logit' is not read by the transformer verifier", "verify", golden("unread-lm.safetensors", "transformer",
                                "{\"layers\":1,\"width\":8,\"heads\":2,\"ffnHidden\":8,\"vocab\":4,\"maxSeq\":16}", "expected.logit").toString()),
                bad("verify: a TRM golden file with an expectation under a misspelt name", 3, "tensor 'expected.halting' is not read by the trm verifier",
                        "verify", golden("unread-trm.safetensors", "trm", TRM, "expected.halting").toString()),
                bad("verify: an fla golden file with a rank-3 q", 3, "naive_recurrent_gla: q has shape [3, 2, 4] (rank 3)",
                        "verify", flaGolden("rank3.safetensors", "rank3").toString()));
    }

    static final String REFERENCE = TestData.fixture("golden/attention/gla.json").toString();
    static final String TRM = dev.unroll.runtime.internal.json.Json.write(dev.unroll.examples.trm.TinyTrms_MixerModel.SPEC.toJson());

    /** Under a memory budget the stream of --tokens does not fit in: a usage error naming the option, not an out-of-memory error. */
    @org.junit.jupiter.api.Test
    void runAttentionTokensGoThroughTheMemoryBudget() {
        String old = System.setProperty("unroll.maxBytes", "64m");
        try {
            String[] r = run(List.of("run", "attention", "Gla_D16", "--tokens", "1000000"));
            assertEquals("2", r[0], r[1] + r[2]);
            assertTrue(r[2].contains("--tokens 1000000: the stream's inputs and outputs (2 x 1000000 tokens x 16 floats) needs 122.1 MiB, more than the "
                    + "memory budget of 64.0 MiB"), r[2]);
        } finally {
            if (old == null) {
                System.clearProperty("unroll.maxBytes");
            } else {
                System.setProperty("unroll.maxBytes", old);
            }
        }
    }

    /**
     * An out-of-memory error is one line with its own exit code (5), the heap's size and how to raise
     * it; it escaped picocli as a stack trace with exit 1, "check failed". A JVM of 64 MiB with a
     * budget above its heap runs out for real.
     */
    @org.junit.jupiter.api.Test
    void anOutOfMemoryErrorIsOneLineAndExitCode5() throws Exception {
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m", "-Dunroll.maxBytes=100g",
                "-cp", System.getProperty("java.class.path"), "dev.unroll.cli.Unroll", "run", "attention", "Gla_D16", "--tokens", "3000000")
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(60, java.util.concurrent.TimeUnit.SECONDS), "a hang");
        assertEquals(5, p.exitValue(), err);
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith("unroll run: out of memory: the JVM's heap of ") && err.contains("(-Xmx) is too small for this run; raise it"), err);
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

    private static Path golden(String name, String family, String descriptor, String... extraTensors) {
        Path p = dir.resolve(name);
        SafetensorsWriter w = new SafetensorsWriter().metadata(GoldenFile.FAMILY, family).metadata(GoldenFile.DESCRIPTOR, descriptor)
                .add("input.tokens", DType.I32, new long[] {1}, new int[] {1});
        for (String t : extraTensors) {
            w.add(t, DType.F32, new long[] {1}, new float[1]);
        }
        w.write(p);
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

    private static String out(String name) {
        return dir.resolve(name + ".out.safetensors").toString();
    }

    /** A transformer golden file of a tiny model (width 8, vocab 512) over 8 tokens, with an index of {@code entries} rows 0, 1, 2, .... */
    private static Path indexedTransformerGolden(String name, int entries) {
        String desc = "{\"layers\":1,\"width\":8,\"heads\":2,\"ffnHidden\":8,\"vocab\":512,\"maxSeq\":16}";
        dev.unroll.runtime.transformer.TransformerSpec spec = dev.unroll.runtime.transformer.TransformerSpec.fromJson(
                dev.unroll.runtime.internal.json.Json.parseObject(desc));
        SafetensorsWriter w = new SafetensorsWriter().metadata(GoldenFile.FAMILY, "transformer").metadata(GoldenFile.DESCRIPTOR, desc);
        for (java.util.Map.Entry<String, long[]> e : dev.unroll.runtime.transformer.TransformerWeights.shapes(spec).entrySet()) {
            float[] v = new float[(int) java.util.Arrays.stream(e.getValue()).reduce(1, (a, b) -> a * b)];
            java.util.Arrays.fill(v, 0.01f);
            w.add(e.getKey(), DType.F32, e.getValue(), v);
        }
        int[] index = new int[entries];
        for (int i = 0; i < entries; i++) {
            index[i] = i;
        }
        Path p = dir.resolve(name);
        w.add("input.tokens", DType.I32, new long[] {8}, new int[] {1, 2, 3, 4, 5, 6, 7, 8})
                .add("expected.logits", DType.F32, new long[] {8, 512}, new float[8 * 512])
                .add("expected.logits.index", DType.I32, new long[] {entries}, index).write(p);
        return p;
    }

    /** A trace of TinyTrms.Mixer (batch 1: x_embed of 480 values) whose second call has {@code secondCall} values. */
    private static Path trmTrace(String name, int secondCall, String... extra) {
        dev.unroll.runtime.trm.TrmSpec spec = dev.unroll.examples.trm.TinyTrms_MixerModel.SPEC;
        SafetensorsWriter w = new SafetensorsWriter();
        dev.unroll.runtime.trm.TrmWeights.seeded(spec).writeTo(w, "");
        int n = spec.sequence() * spec.hidden();
        w.add("trace.x_embed", DType.F32, new long[] {1, spec.sequence(), spec.hidden()}, new float[n]);
        w.add("trace.call01.out", DType.F32, new long[] {n}, new float[n]);
        w.add("trace.call02.out", DType.F32, new long[] {secondCall}, new float[secondCall]);
        for (String e : extra) {
            w.add(e, DType.F32, new long[] {n}, new float[n]);
        }
        Path p = dir.resolve(name);
        w.write(p);
        return p;
    }

    /** A saved GLA call (q, k, v, gk of [1, 3, 2, 4]) with its results under the given names. */
    private static Path flaCall(String name, String... results) {
        SafetensorsWriter w = new SafetensorsWriter();
        for (String t : List.of("q", "k", "v", "gk")) {
            w.add(t, DType.F32, new long[] {1, 3, 2, 4}, new float[24]);
        }
        for (String r : results) {
            w.add(r, DType.F32, new long[] {1, 3, 2, 4}, new float[24]);
        }
        Path p = dir.resolve(name);
        w.write(p);
        return p;
    }

    /** An fla golden file of a GLA call whose output is right (all zeros), plus one tensor: an unread one, or a rank-3 q. */
    private static Path flaGolden(String name, String extra) {
        SafetensorsWriter w = new SafetensorsWriter().metadata(GoldenFile.FAMILY, "fla").metadata(GoldenFile.DESCRIPTOR, "{\"op\":\"naive_recurrent_gla\"}");
        for (String t : List.of("q", "k", "v", "gk")) {
            boolean r3 = extra.equals("rank3") && t.equals("q");
            w.add("input." + t, DType.F32, r3 ? new long[] {3, 2, 4} : new long[] {1, 3, 2, 4}, new float[24]);
        }
        w.add("expected.o", DType.F32, new long[] {1, 3, 2, 4}, new float[24]);
        if (!extra.equals("rank3")) {
            float[] wrong = new float[32];
            java.util.Arrays.fill(wrong, 1f);
            w.add(extra, DType.F32, new long[] {1, 2, 4, 4}, wrong);
        }
        Path p = dir.resolve(name);
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
