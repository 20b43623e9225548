package dev.unroll.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.cli.verify.AttentionVerifier;
import dev.unroll.cli.verify.Comparison;
import dev.unroll.cli.verify.FlaNames;
import dev.unroll.cli.verify.FlaOps;
import dev.unroll.cli.verify.FlaVerifier;
import dev.unroll.cli.verify.GoldenFile;
import dev.unroll.cli.verify.Progress;
import dev.unroll.cli.verify.Tolerance;
import dev.unroll.cli.verify.TransformerVerifier;
import dev.unroll.cli.verify.TrmVerifier;
import dev.unroll.cli.verify.Verifier;
import dev.unroll.cli.verify.VerifyReport;
import dev.unroll.runtime.Limits;
import dev.unroll.runtime.TestData;
import dev.unroll.runtime.golden.ReferenceGolden;
import dev.unroll.runtime.sweep.RuntimeValues;
import dev.unroll.runtime.sweep.Surface;
import dev.unroll.runtime.sweep.Sweep;
import dev.unroll.runtime.sweep.Values;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The command line module's public API under the generated hostile-argument sweep (see
 * {@code RuntimeApiSweepTest}): the golden converters, the verifiers and their records, the method
 * sizes reader and {@link Unroll#run}, found by reflection. Every call returns or throws one clean
 * UnrollException within the limit; a public method the values cannot call fails the test.
 */
class CliApiSweepTest {
    static final List<String> PACKAGES = List.of("dev.unroll.cli", "dev.unroll.cli.golden", "dev.unroll.cli.inspect", "dev.unroll.cli.verify");

    static byte[] goldenSeed(String name) {
        try (InputStream in = CliApiSweepTest.class.getResourceAsStream("/dev/unroll/cli/fuzz/VerifyFuzzTestInputs/verify/" + name)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Values values() {
        Values v = RuntimeValues.create();
        v.add(GoldenFile.class, "an attention golden file", () -> GoldenFile.of(RuntimeValues.read(goldenSeed("attention-gla.safetensors"))))
                .add(GoldenFile.class, "a TRM golden file", () -> GoldenFile.of(RuntimeValues.read(goldenSeed("trm-network.safetensors"))))
                .add(GoldenFile.class, "a transformer golden file", () -> GoldenFile.of(RuntimeValues.read(goldenSeed("transformer-greedy.safetensors"))));
        v.add(Progress.class, "silent", Progress::silent);
        v.add(java.io.PrintWriter.class, "a writer to nowhere", () -> new java.io.PrintWriter(java.io.Writer.nullWriter()));
        v.add(QuickTimer.class, "10 ms windows", () -> new QuickTimer(0.01, 0.005, new java.io.PrintWriter(java.io.Writer.nullWriter())));
        v.add(QuickTimer.Rate.class, "settled", () -> new QuickTimer.Rate(100, 90, 110, true, 0.99))
                .add(QuickTimer.Rate.class, "never settled", () -> new QuickTimer.Rate(100, 10, 400, false, 0.5))
                .add(QuickTimer.Rate.class, "NaN", () -> new QuickTimer.Rate(Double.NaN, Double.NaN, Double.NaN, true, Double.NaN));
        v.add(java.util.function.LongUnaryOperator.class, "counts", () -> (java.util.function.LongUnaryOperator) n -> n)
                .add(java.util.function.LongUnaryOperator.class, "reports -1", () -> (java.util.function.LongUnaryOperator) n -> -1)
                .add(java.util.function.LongUnaryOperator.class, "throws", () -> (java.util.function.LongUnaryOperator) n -> {
                    throw new dev.unroll.runtime.UnrollException("the work failed");
                });
        v.add(Tolerance.class, "rel 1e-5", () -> new Tolerance(0, 1e-5)).add(Tolerance.class, "abs 1e-3", () -> new Tolerance(1e-3, 0));
        v.add(Comparison.class, "a passing comparison", () -> Comparison.of("expected.y", new double[] {1, 2}, new double[] {1, 2}, new Tolerance(0, 1e-5)));
        v.add(VerifyReport.class, "one comparison", () -> new VerifyReport("f", "s", List.of(Comparison.of("expected.y", new double[] {1},
                new double[] {1}, new Tolerance(0, 1e-5)))));
        v.add(FlaOps.Op.class, "naive_recurrent_gla", () -> FlaOps.of("naive_recurrent_gla"))
                .add(FlaOps.Op.class, "mlstm", () -> FlaOps.of("mlstm_recurrent_sequence__native_fw"));
        Type names = RuntimeValues.type("java.util.Collection<java.lang.String>");
        v.add(names, "a GLA call's golden names", () -> new ArrayList<>(List.of("input.q", "input.k", "input.v", "input.gk", "expected.o")))
                .add(names, "a saved GLA call, two calls", () -> new ArrayList<>(List.of("q", "k", "v", "gk", "o_1", "in.h0_2", "out.o_2", "ht_2")))
                .add(names, "[]", ArrayList::new).add(names, "[null]", () -> new ArrayList<>(Arrays.asList((String) null)))
                .add(names, "a name twice", () -> new ArrayList<>(List.of("q", "q", "k", "v", "gk", "o")))
                .add(names, "an escape", () -> new ArrayList<>(List.of("\u001b[2J", "q")));
        v.add(FlaNames.Entry.class, "o", () -> new FlaNames.Entry("expected.o", "o", "", true));
        v.add(dev.unroll.cli.golden.Llama2cLogits.Converted.class, "an empty writer", () -> new dev.unroll.cli.golden.Llama2cLogits.Converted(
                new dev.unroll.runtime.safetensors.SafetensorsWriter(), "note"));
        Type entries = RuntimeValues.type("java.util.List<dev.unroll.cli.verify.FlaNames$Entry>");
        v.add(entries, "[o]", () -> new ArrayList<>(List.of(new FlaNames.Entry("expected.o", "o", "", true)))).add(entries, "[]", ArrayList::new)
                .add(entries, "[null]", () -> new ArrayList<>(Arrays.asList((FlaNames.Entry) null)));
        v.add(FlaNames.Calls.class, "a GLA call", () -> FlaNames.golden(FlaOps.of("naive_recurrent_gla"),
                List.of("input.q", "input.k", "input.v", "input.gk", "expected.o"), "sweep"));
        v.add(ReferenceGolden.class, "gla.json", () -> ReferenceGolden.read(TestData.fixture("golden/attention/gla.json")));
        for (Class<?> c : List.of(AttentionVerifier.class, Verifier.class)) {
            v.add(c, "attention", () -> new AttentionVerifier(false));
        }
        v.add(Verifier.class, "TRM", () -> new TrmVerifier(false)).add(Verifier.class, "transformer", () -> new TransformerVerifier(false))
                .add(Verifier.class, "fla", FlaVerifier::new);
        v.add(TrmVerifier.class, "TRM", () -> new TrmVerifier(true));
        v.add(TransformerVerifier.class, "transformer", () -> new TransformerVerifier(true));
        v.add(FlaVerifier.class, "fla", FlaVerifier::new);
        v.add(PrintStream.class, "a buffer", () -> new PrintStream(new ByteArrayOutputStream(), true));
        Type args = RuntimeValues.type("java.util.List<java.lang.String>");
        v.add(args, "[inspect]", () -> new ArrayList<>(List.of("inspect"))).add(args, "[]", ArrayList::new)
                .add(args, "[verify]", () -> new ArrayList<>(List.of("verify"))).add(args, "[null]", () -> new ArrayList<>(Arrays.asList((String) null)))
                .add(args, "[run, attention, --tokens, -1]", () -> new ArrayList<>(List.of("run", "attention", "--tokens", "-1")))
                .add(args, "[an escape]", () -> new ArrayList<>(List.of("\u001b[2J\n")));
        v.add(RuntimeValues.type("java.lang.Class<?>"), "String.class", () -> String.class).add(RuntimeValues.type("java.lang.Class<?>"),
                "Unroll.class", () -> Unroll.class);
        return v;
    }

    /** What the sweep does not call, with the reason. */
    static final Map<String, String> EXEMPT = Map.of("Unroll.main(String[])", "exits the JVM; the sweep calls Unroll.run, which main only wraps",
            "TrmTrace.Part.valueOf(String)", "the compiler's Enum.valueOf (IllegalArgumentException by the language's contract); the command line "
                    + "reads --part through picocli, which names the allowed values");

    @Test
    void everyPublicEntryPointEndsCleanlyOnHostileArguments() {
        String saved = System.getProperty(Limits.BUDGET_PROPERTY);
        System.setProperty(Limits.BUDGET_PROPERTY, "512m");
        Sweep.Report r;
        try {
            r = Sweep.run(Surface.of(Unroll.class, PACKAGES, c -> true), values(), EXEMPT, Duration.ofSeconds(Long.getLong("unroll.sweep.limit", 20)));
        } finally {
            if (saved == null) {
                System.clearProperty(Limits.BUDGET_PROPERTY);
            } else {
                System.setProperty(Limits.BUDGET_PROPERTY, saved);
            }
        }
        System.out.println("[Unroll sweep] command line API: " + r.summary());
        r.violations().forEach(o -> System.out.println("[Unroll sweep] " + o));
        assertEquals(List.of(), r.uncovered(), "public entry points the sweep cannot call");
        List<Sweep.Outcome> bad = r.violations();
        assertTrue(bad.isEmpty(), () -> bad.size() + " calls broke the contract:\n" + bad.stream().map(Sweep.Outcome::toString)
                .collect(Collectors.joining("\n")));
    }
}
