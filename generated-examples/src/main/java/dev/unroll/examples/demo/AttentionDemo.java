package dev.unroll.examples.demo;

import dev.unroll.annotations.Precision;
import dev.unroll.annotations.WeightFormat;
import dev.unroll.cli.verify.AttentionVerifier;
import dev.unroll.cli.verify.Progress;
import dev.unroll.cli.verify.VerifyReport;
import dev.unroll.examples.attention.Gla_D16Layer;
import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.attention.AttentionSpec;
import dev.unroll.runtime.attention.AttentionState;
import dev.unroll.runtime.attention.AttentionWeights;
import dev.unroll.runtime.attention.GenericLinearAttention;
import dev.unroll.runtime.attention.LinearAttentionLayer;
import dev.unroll.runtime.attention.LinearAttentionRunners;
import dev.unroll.runtime.backend.SequenceRunner;
import dev.unroll.runtime.golden.ReferenceGolden;
import dev.unroll.runtime.internal.data.DataFiles;
import dev.unroll.runtime.registry.KernelProvider;
import dev.unroll.runtime.registry.KernelRegistry;
import dev.unroll.runtime.registry.LinearAttentionProvider;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/** The linear-attention part of the demo. */
final class AttentionDemo {
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean quick;

    AttentionDemo(PrintWriter out, PrintWriter err, boolean quick) {
        this.out = out;
        this.err = err;
        this.quick = quick;
    }

    boolean run() {
        List<LinearAttentionProvider> kernels = KernelRegistry.all().stream()
                .filter(p -> p instanceof LinearAttentionProvider).map(p -> (LinearAttentionProvider) p).toList();
        out.println("== Linear attention: " + kernels.size() + " generated layers (" + kernels.size() * 3 + " classes incl. kernels) ==");
        out.println("flavour: " + Flavour.choose(true).describe() + "   (force with -Dunroll.flavour=scalar|simd)");
        out.println("checked: 256 tokens of x_t[i] = sin(0.37 t + 0.11 i) against the generic engine (seeded weights; for BF16/Q8");
        out.println("         projections, the values the format stores);");
        out.println("timed: single-stream step() after warm-up, width-64 layers only (a rough figure; JMH numbers are in the README)");
        out.printf(Locale.ROOT, "%-42s %-8s %12s %15s %14s %8s%n", "generated layer", "prec", "max rel err", "generated tok/s", "generic tok/s", "speedup");
        boolean ok = true;
        long millis = quick ? 60 : 250;
        for (LinearAttentionProvider p : kernels) {
            ok &= compareAndTime(p, millis);
        }
        ok &= backendCheck();
        ok &= verifyGoldenFiles();
        return ok;
    }

    /**
     * Runs GLA (width 16) in chunks through the backend the runtime picks: the TornadoVM glue when the
     * examples were built with -Ptornadovm and the JVM was started by TornadoVM, else the JVM kernels;
     * either way the outputs must equal the scalar layer's own forward.
     */
    private boolean backendCheck() {
        Gla_D16Layer layer = Gla_D16Layer.of(AttentionWeights.seeded(Gla_D16Layer.SPEC), Flavour.SCALAR);
        int tokens = 16;
        int d = Gla_D16Layer.SPEC.width();
        AttentionState viaRunner = layer.newState();
        AttentionState direct = layer.newState();
        double worst = 0;
        String backend;
        try (SequenceRunner runner = LinearAttentionRunners.open(layer, viaRunner, tokens)) {
            backend = runner.backend().describe();
            for (int chunk = 0; chunk < 16; chunk++) {
                float[] xs = new float[tokens * d];
                for (int i = 0; i < xs.length; i++) {
                    xs[i] = (float) Math.sin(0.37 * (chunk * tokens + i / d) + 0.11 * (i % d));
                }
                float[] a = new float[xs.length];
                float[] b = new float[xs.length];
                runner.run(xs, a);
                layer.forward(direct, xs, tokens, b);
                for (int i = 0; i < a.length; i++) {
                    worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(1e-6, Math.abs(b[i])));
                }
            }
            runner.syncState();
        }
        boolean pass = worst <= 1e-5 && viaRunner.tokens() == direct.tokens();
        out.println();
        out.printf(Locale.ROOT, "== Backend: %s (force with -Dunroll.backend=jvm|tornadovm) ==%n", backend);
        out.printf(Locale.ROOT, "  %-4s Gla_D16 in 16 chunks of %d tokens against the scalar layer's forward: max rel err %.2e%n",
                pass ? "PASS" : "FAIL", tokens, worst);
        return pass;
    }

    private boolean compareAndTime(LinearAttentionProvider p, long millis) {
        AttentionSpec spec = p.spec();
        AttentionWeights w = AttentionWeights.seeded(spec);
        LinearAttentionLayer gen = p.create(w);
        // a layer with compact projections computes the function of the values its format stores
        GenericLinearAttention ref = new GenericLinearAttention(p.weights() == WeightFormat.F32 ? w : w.storedAs(p.weights()));
        int d = spec.width();
        int check = 256;
        double[] xs = input(check, d);
        double[] yg = new double[check * d];
        double[] yr = new double[check * d];
        AttentionState sg = gen.newState();
        AttentionState sr = ref.newState();
        double[] x = new double[d];
        double[] y = new double[d];
        for (int t = 0; t < check; t++) {
            System.arraycopy(xs, t * d, x, 0, d);
            gen.step(sg, x, y);
            System.arraycopy(y, 0, yg, t * d, d);
            ref.step(sr, x, y);
            System.arraycopy(y, 0, yr, t * d, d);
        }
        double err = scaledError(yr, yg);
        double tol = spec.precision() == Precision.F64 ? 1e-12 : 1e-5;
        String prec = p.weights() == WeightFormat.F32 ? spec.precision().toString() : "F32/" + p.weights();
        boolean pass = err <= tol;
        String verdict = pass ? "" : " FAIL (tolerance " + tol + ")";
        if (spec.width() < 64) {
            out.printf(Locale.ROOT, "%-42s %-8s %12.2e %15s %14s %8s%s%n", shortName(p), prec, err, "-", "-", "", verdict);
            return pass;
        }
        double genRate = rate(gen, millis, d);
        double refRate = rate(ref, millis, d);
        out.printf(Locale.ROOT, "%-42s %-8s %12.2e %15.0f %14.0f %7.1fx%s%n", shortName(p), prec, err, genRate, refRate,
                genRate / refRate, verdict);
        return pass;
    }

    private static String shortName(KernelProvider<?, ?, ?> p) {
        String n = p.generatedClass();
        return n.substring(n.lastIndexOf('.') + 1);
    }

    /** Tokens per second of single-token steps on one stream: warm up for {@code millis}, then the best of three timed runs. */
    private static double rate(LinearAttentionLayer layer, long millis, int d) {
        float[] xs = new float[d * 64];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = (float) Math.sin(0.37 * (i / d) + 0.11 * (i % d));
        }
        float[] x = new float[d];
        float[] y = new float[d];
        AttentionState s = layer.newState();
        // warm-up windows of `millis` until two in a row run within 10 % of each other (the JIT has
        // compiled this layer's kernels), at most 3 s: the rate below is then a warm one
        long deadline = System.nanoTime() + 3_000_000_000L;
        int tokens = 0;
        int previous = -1;
        while (System.nanoTime() < deadline && (previous < 0 || Math.abs(tokens - previous) > 0.1 * previous)) {
            previous = tokens == 0 ? -1 : tokens;
            tokens = 0;
            long end = System.nanoTime() + millis * 1_000_000L;
            while (System.nanoTime() < end) {
                for (int t = 0; t < 256; t++) {
                    System.arraycopy(xs, (t & 63) * d, x, 0, d);
                    layer.step(s, x, y);
                }
                tokens += 256;
            }
        }
        double best = 0;
        for (int rep = 0; rep < 3; rep++) {
            long t0 = System.nanoTime();
            for (int t = 0; t < tokens / 3 + 1; t++) {
                System.arraycopy(xs, (t & 63) * d, x, 0, d);
                layer.step(s, x, y);
            }
            best = Math.max(best, (tokens / 3 + 1) / ((System.nanoTime() - t0) / 1e9));
        }
        return best;
    }

    private boolean verifyGoldenFiles() {
        java.util.Optional<Path> found = DataFiles.find("golden/attention");
        if (found.isEmpty()) {
            out.println("(" + DataFiles.missing("golden/attention") + ": skipped)");
            return true;
        }
        Path dir = found.get();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".json") && !p.getFileName().toString().equals("manifest.json")).sorted().toList();
        } catch (IOException e) {
            err.println("cannot list " + dir + ": " + e.getMessage());
            return false;
        }
        out.println();
        out.println("== Reference golden files (" + dir.normalize() + "): generated f64 kernels, tolerance 1e-12 ==");
        boolean ok = true;
        for (Path f : files) {
            VerifyReport r = new AttentionVerifier(false).verify(ReferenceGolden.read(f), Progress.silent());
            double worst = r.comparisons().stream().mapToDouble(c -> c.maxRel()).max().orElse(Double.NaN);
            out.printf(Locale.ROOT, "  %-4s %-40s worst max rel %.2e%n", r.pass() ? "PASS" : "FAIL", f.getFileName(), worst);
            ok &= r.pass();
        }
        return ok;
    }

    static double[] input(int tokens, int d) {
        double[] xs = new double[tokens * d];
        for (int t = 0; t < tokens; t++) {
            for (int i = 0; i < d; i++) {
                xs[t * d + i] = Math.sin(0.37 * t + 0.11 * i);
            }
        }
        return xs;
    }

    static double scaledError(double[] expected, double[] actual) {
        double scale = 0;
        double e = 0;
        for (int i = 0; i < expected.length; i++) {
            scale = Math.max(scale, Math.abs(expected[i]));
            e = Math.max(e, Math.abs(expected[i] - actual[i]));
        }
        return e / (scale == 0 ? 1 : scale);
    }
}
