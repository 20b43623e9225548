package dev.unroll.examples.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static dev.unroll.examples.cli.CliRun.unroll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.examples.attention.Gla_D16Layer;
import dev.unroll.examples.cli.CliRun.Result;
import dev.unroll.examples.transformer.Stories260KModel;
import dev.unroll.runtime.TestData;
import dev.unroll.runtime.attention.AttentionState;
import dev.unroll.runtime.transformer.CachedGenerator;
import dev.unroll.runtime.transformer.Generation;
import dev.unroll.runtime.transformer.GenericTransformer;
import dev.unroll.runtime.transformer.Tokenizer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The launcher's run, inspect and bench commands on the generated examples: outputs, exit codes, errors. */
class CliCommandsTest {

    /** The README's first command: every generated example (compact ones included) passes its check. */
    @Test
    void theQuickDemoPassesEveryCheck() {
        Result r = unroll("demo", "--quick");
        assertEquals(0, r.code(), r.out() + r.err());
        assertTrue(r.out().contains("demo: every check PASSED"), r.out());
        assertTrue(!r.out().contains("FAIL"), r.out());
        // each timed layer shows its two figures with their spread, and a speedup or n/r, whose reasons follow the table
        List<String> timed = r.out().lines().filter(l -> l.matches("\\S+Layer .*±.*")).toList();
        assertTrue(timed.size() >= 15, r.out());
        for (String row : timed) {
            assertTrue(row.matches(".*±\\d+%\\*? +[\\d,]+ ±\\d+%\\*? +(\\d+\\.\\dx|n/r)"), row);
        }
        if (timed.stream().anyMatch(l -> l.endsWith("n/r"))) {
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith("n/r: ")), r.out());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"run", "inspect", "bench", "verify", "golden", "golden reference", "golden trm-trace", "golden llama2c", "golden fla", "demo"})
    void everyCommandHasHelp(String command) {
        List<String> args = new java.util.ArrayList<>(List.of(command.split(" ")));
        args.add("--help");
        Result r = unroll(args.toArray(String[]::new));
        assertEquals(0, r.code());
        assertTrue(r.out().startsWith("usage: unroll " + command), r.out());
    }

    /** golden --help lists each converter with a whole sentence (the first line of each description used to stop mid-sentence); verify --help names the fla family. */
    @Test
    void helpListsEachConverterInAWholeSentenceAndVerifyNamesFla() {
        String golden = unroll("golden", "--help").out();
        String commands = golden.substring(golden.indexOf("Commands:"));
        for (String c : List.of("reference", "trm-trace", "llama2c", "fla")) {
            int at = commands.indexOf("  " + c + " ");
            Matcher next = Pattern.compile("\n  \\S").matcher(commands); // the next entry: its continuation lines are indented further
            int end = next.find(at + 1) ? next.start() : -1;
            String entry = commands.substring(at, end < 0 ? commands.length() : end).replaceAll("\\s+", " ").strip();
            assertTrue(entry.endsWith("."), "golden --help: " + entry);
        }
        assertTrue(unroll("verify", "--help").out().contains("fla"), "verify --help names the fla family");
    }

    /** With no kernel named, run takes a plain example (F32 weights, F32 precision), not the first compact one. */
    @Test
    void runWithoutAKernelTakesAPlainF32Example() {
        Result r = unroll("run", "attention", "--tokens", "8");
        assertEquals(0, r.code(), r.out() + r.err());
        String kernel = r.out().lines().filter(l -> l.startsWith("kernel:")).findFirst().orElseThrow();
        assertTrue(!kernel.contains("weights =") && !kernel.contains("precision = F64"), kernel);
    }

    /** A compact kernel's descriptor names its weights: otherwise it reads like its F32 twin's. */
    @Test
    void inspectAndRunNameACompactKernelsWeights() {
        Result i = unroll("inspect", "CompactProjections_HawkBf16");
        assertEquals(0, i.code(), i.err());
        assertTrue(i.out().contains("descriptor: @LinearAttention(mode = HAWK") && i.out().contains(", weights = BF16)"), i.out());
        Result r = unroll("run", "attention", "CompactProjections_GatedDeltaNetQ8", "--tokens", "8");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains(", weights = Q8)"), r.out());
    }

    @Test
    void inspectShowsConstantsSizesFlavourAndBackend() {
        Result r = unroll("inspect", "Gla.D16");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("descriptor: @LinearAttention(mode = GLA, width = 16, heads = 4"), r.out());
        assertTrue(r.out().contains("D = 16   H = 4   K = 4   V = 4"), r.out());
        assertTrue(r.out().contains("backend:    JVM (TornadoVM runtime not loaded)"), r.out());
        Matcher m = Pattern.compile("JIT limit 8000 bytes; largest (\\d+)").matcher(r.out());
        assertTrue(m.find(), r.out());
        assertTrue(Integer.parseInt(m.group(1)) < 8000);
        Result list = unroll("inspect");
        assertTrue(list.out().contains("trm               SudokuTrm" + System.lineSeparator()), list.out());
        // every line within the help's 100 columns: descriptors are folded below their kernel's name
        for (Result each : List.of(r, list, unroll("inspect", "Stories260K"))) {
            each.out().lines().forEach(line -> assertTrue(line.length() <= 100, line));
        }
    }

    @Test
    void runAttentionPrintsTheLayersOutput() {
        Result r = unroll("run", "attention", "Gla_D16", "--tokens", "20");
        assertEquals(0, r.code(), r.err());
        Gla_D16Layer layer = Gla_D16Layer.seeded();
        AttentionState s = layer.newState();
        float[] x = new float[16];
        float[] y = new float[16];
        for (int t = 0; t < 20; t++) {
            for (int i = 0; i < 16; i++) {
                x[i] = (float) Math.sin(0.37 * t + 0.11 * i);
            }
            layer.step(s, x, y);
        }
        assertTrue(r.out().contains(String.format(Locale.ROOT, "y[19][0..7] = %.6f %.6f", y[0], y[1])), r.out());
    }

    @Test
    void runTransformerGeneratesTheGenericEnginesText() {
        Result r = unroll("run", "transformer", "--tokens", "24", "--prompt", "Once upon a time");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("runs:   generated Stories260KModel"), r.out());
        Path dir = TestData.fixture("models/stories260K");
        Tokenizer tok = Tokenizer.load(dir.resolve("tok512.bin"), 512);
        GenericTransformer generic = new GenericTransformer(Stories260KModel.loadLlama2c(dir.resolve("stories260K.bin")).weights());
        int[] tokens = new CachedGenerator(generic).generate(Generation.greedy(tok.encode("Once upon a time", true, false), 24)).tokens();
        // the text is streamed to stdout and is its last line; the figures follow on stderr
        assertTrue(r.out().stripTrailing().endsWith(tok.decode(tokens).stripTrailing()), r.out());
        assertTrue(r.err().contains("24 new tokens after a"), r.err());
        Result looped = unroll("run", "transformer", "--tokens", "8", "--loop", "1:3", "--depth", "2");
        assertTrue(looped.out().contains("runs:   generated Stories260KLoopedModel"), looped.out());
    }

    /**
     * Sampling as run.c samples: with run.c's options ({@code -t -p -s -n -i}, long names too) the
     * text is run.c's for the same seed (its stdout in the fixtures: top-p, sampling from every
     * token, and from a prompt); out-of-range values are usage errors naming the option.
     */
    @ParameterizedTest
    @ValueSource(strings = {"sampled-t0.8-p0.9-s42-n200.txt|-t 0.8 -p 0.9 -s 42 -n 200",
        "sampled-t1.0-p0-s7-n200.txt|--temperature 1.0 --topp 0 --seed 7 --steps 200",
        "sampled-t0.5-p0.95-s123456789-n120-once.txt|-t 0.5 -p 0.95 -s 123456789 -n 120 -i Once_upon_a_time"})
    void runTransformerSamplesAsRunCDoes(String cas) throws Exception {
        String[] parts = cas.split("\\|");
        String oracle = java.nio.file.Files.readString(TestData.fixture("models/stories260K").resolve(parts[0]), StandardCharsets.UTF_8);
        List<String> args = new java.util.ArrayList<>(List.of("run", "transformer"));
        for (String a : parts[1].split(" ")) {
            args.add(a.replace('_', ' '));
        }
        Result r = unroll(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        assertTrue(r.err().contains("sampled (temperature "), r.err());
        assertTrue(r.out().stripTrailing().endsWith(oracle), () -> "not run.c's text for " + parts[1] + ":\n" + r.out());
    }

    @Test
    void samplingOptionsOutOfRangeAreUsageErrors() {
        String[][] bad = {{"--temperature=-0.5", "--temperature -0.5: must be finite and >= 0"}, {"-t", "NaN", "--temperature NaN: must be finite"},
            {"-p", "1.5", "--topp 1.5: must be in [0, 1]"}, {"-s", "0", "--seed 0: the sampler's xorshift stays at 0"}};
        for (String[] b : bad) {
            List<String> args = new java.util.ArrayList<>(List.of("run", "transformer", "-n", "5"));
            args.addAll(List.of(b).subList(0, b.length - 1));
            Result r = unroll(args.toArray(String[]::new));
            assertEquals(2, r.code(), args + ": " + r.out() + r.err());
            assertTrue(r.err().contains(b[b.length - 1]) && r.err().lines().count() == 1, r.err());
        }
    }

    /**
     * --steps counts forward passes with the prompt, as run.c's -n: {@code --steps 200} prints run.c's
     * {@code -n 200} text (llama2.c's own oracle) to its last token; generation stops at BOS unless
     * --no-stop, and says which.
     */
    @Test
    void runTransformerCountsLikeRunCAndSaysWhyItStopped() throws Exception {
        Path dir = TestData.fixture("models/stories260K");
        String oracle = java.nio.file.Files.readString(dir.resolve("greedy-n200.txt"), StandardCharsets.UTF_8);
        Result n200 = unroll("run", "transformer", "--steps", "200", "--no-stop");
        assertEquals(0, n200.code(), n200.err());
        assertTrue(n200.err().contains("200 new tokens after a 1-token prompt, 200 positions"), n200.err());
        assertTrue(n200.out().stripTrailing().endsWith(oracle), () -> "not run.c's -n 200 text:\n" + n200.out());
        int promptLength = Tokenizer.load(dir.resolve("tok512.bin"), 512).encode("Once upon a time", true, false).length;
        Result steps = unroll("run", "transformer", "--steps", "30", "--prompt", "Once upon a time");
        Result tokens = unroll("run", "transformer", "--tokens", String.valueOf(31 - promptLength), "--prompt", "Once upon a time");
        assertEquals(0, steps.code(), steps.err());
        assertTrue(steps.err().contains((31 - promptLength) + " new tokens after a " + promptLength + "-token prompt, 30 positions (as many as asked"),
                steps.err());
        assertEquals(steps.out().lines().reduce((a, b) -> b).orElseThrow(), tokens.out().lines().reduce((a, b) -> b).orElseThrow());
        Result stops = unroll("run", "transformer", "--steps", "500");
        assertTrue(stops.err().contains("(stopped at BOS"), stops.err());
        Result through = unroll("run", "transformer", "--steps", "500", "--no-stop");
        assertTrue(through.err().contains("500 new tokens after a 1-token prompt, 500 positions (as many as asked"), through.err());
        Result both = unroll("run", "transformer", "--steps", "30", "--tokens", "3");
        assertEquals(2, both.code());
        assertTrue(both.err().contains("not both"), both.err());
        Result short_ = unroll("run", "transformer", "--steps", String.valueOf(promptLength - 1), "--prompt", "Once upon a time");
        assertEquals(2, short_.code());
        assertTrue(short_.err().contains("must be at least " + promptLength), short_.err());
    }

    /** One-shot runs take the scalar kernels (cold SIMD is slower) unless a flavour is forced, and say so. */
    @Test
    void oneShotRunsTakeTheScalarKernelsUnlessAFlavourIsForced() {
        Result plain = unroll("run", "transformer", "--tokens", "4");
        assertTrue(plain.out().contains("flavour: scalar for this short run"), plain.out());
        assertTrue(plain.out().contains("runs:   generated Stories260KModel (scalar"), plain.out());
        Result attention = unroll("run", "attention", "Gla.D16", "--tokens", "8");
        assertTrue(attention.out().contains("flavour: scalar for this short run"), attention.out());
        String before = System.getProperty(dev.unroll.runtime.Flavour.PROPERTY);
        System.setProperty(dev.unroll.runtime.Flavour.PROPERTY, "simd");
        try {
            Result forced = unroll("run", "transformer", "--tokens", "4");
            assertTrue(!forced.out().contains("flavour:"), forced.out());
            assertTrue(forced.out().contains("runs:   generated Stories260KModel (SIMD"), forced.out());
        } finally {
            if (before == null) {
                System.clearProperty(dev.unroll.runtime.Flavour.PROPERTY);
            } else {
                System.setProperty(dev.unroll.runtime.Flavour.PROPERTY, before);
            }
        }
    }

    @Test
    void benchReportsBothEngines() {
        Result r = unroll("bench", "Gla_D16", "--seconds", "0.2", "--warmup", "0.1");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("generated") && r.out().contains("generic") && r.out().contains("speedup"), r.out());
        assertTrue(r.err().contains("warming up"), "progress goes to stderr");
    }

    @Test
    void errorsAreOneLineWithTheRightExitCode() {
        Result unknown = unroll("inspect", "NoSuchKernel");
        assertEquals(3, unknown.code());
        assertEquals("unroll inspect: no generated kernel named NoSuchKernel on the class path (unroll inspect lists them)\n", unknown.err());
        Result ambiguous = unroll("run", "attention", "Gla");
        assertEquals(3, ambiguous.code());
        assertTrue(ambiguous.err().startsWith("unroll run: Gla matches "), ambiguous.err());
        Result usage = unroll("run", "transformer", "--loop", "3");
        assertEquals(2, usage.code());
        assertEquals("unroll run: --loop 3: expected START:END, e.g. 1:3 (try: unroll run --help)\n", usage.err());
        Result notSudoku = unroll("run", "trm", "TinyTrms.Mixer");
        assertEquals(3, notSudoku.code());
        assertTrue(notSudoku.err().contains("is not a Sudoku model (context 9, vocab 5)"), notSudoku.err());
        assertArrayEquals(new int[] {2, 2}, new int[] {unroll("bench").code(), unroll("run", "nonsense").code()});
    }
}
