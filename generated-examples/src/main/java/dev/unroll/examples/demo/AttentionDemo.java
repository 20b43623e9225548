package dev.unroll.examples.demo;

import dev.unroll.annotations.Precision;
import dev.unroll.annotations.WeightFormat;
import dev.unroll.cli.verify.AttentionVerifier;
import dev.unroll.cli.verify.Progress;
import dev.unroll.cli.verify.VerifyReport;
import dev.unroll.examples.attention.Gla_D16Layer;
import dev.unroll.cli.QuickTimer;
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
        out.println("checked: 256 tokens of x_t[i] = sin(0.37 t + 0.11 i) against the generic engine (seeded");
        out.println("         weights; for BF16/Q8 projections, the values the format stores);");
        out.println("timed: single-stream step(), width-64 layers only: warm-up windows until two agree, then");
        out.println("       the median of 5 windows (± half their range; * warm-up never settled); a rough figure,");
        out.println("       JMH numbers are in the README; a speedup not to be trusted is withheld (n/r), with the");
        out.println("       reason below the table");
        String loaded = QuickTimer.loadWarning(QuickTimer.loadAverage(), Runtime.getRuntime().availableProcessors());
        if (loaded != null) {
            out.println("warning: " + loaded);
        }
        out.printf(Locale.ROOT, "%-41s %-8s %8s %15s %13s %7s%n", "generated layer", "prec", "rel err", "generated tok/s", "generic tok/s", "speedup");
        boolean ok = true;
        QuickTimer timer = quick ? new QuickTimer(0.25, 0.05, SILENT) : new QuickTimer(0.5, 0.1, SILENT);
        java.util.Map<String, Integer> doubts = new java.util.LinkedHashMap<>();
        for (LinearAttentionProvider p : kernels) {
            ok &= compareAndTime(p, timer, loaded, doubts);
        }
        doubts.forEach((d, n) -> out.println("n/r: " + n + " layer" + (n == 1 ? "" : "s") + ": " + d));
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

    /** QuickTimer's progress lines, which a table of 20 layers does without. */
    private static final PrintWriter SILENT = new PrintWriter(java.io.Writer.nullWriter());

    private boolean compareAndTime(LinearAttentionProvider p, QuickTimer timer, String loaded, java.util.Map<String, Integer> doubts) {
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
            out.printf(Locale.ROOT, "%-41s %-8s %8.2e %15s %13s %7s%s%n", shortName(p), prec, err, "-", "-", "", verdict);
            return pass;
        }
        QuickTimer.Rate genRate = timer.rate(shortName(p), stepper(gen, d));
        QuickTimer.Rate refRate = timer.rate("generic", stepper(ref, d));
        String doubt = QuickTimer.ratioDoubt(genRate, refRate, loaded) == null ? null
                : !genRate.settled() || !refRate.settled() ? "a warm-up never settled (marked *)"
                : genRate.spread() > QuickTimer.TRUSTED_SPREAD || refRate.spread() > QuickTimer.TRUSTED_SPREAD
                        ? "the windows of a figure spread over " + Math.round(100 * QuickTimer.TRUSTED_SPREAD) + " % (± over "
                                + Math.round(50 * QuickTimer.TRUSTED_SPREAD) + " %)"
                : genRate.doubt() != null || refRate.doubt() != null ? "other work took the timing thread's core (it ran under "
                        + Math.round(100 * QuickTimer.TRUSTED_CPU_SHARE) + " % of a window)"
                : loaded;
        if (doubt != null) {
            doubts.merge(doubt, 1, Integer::sum);
        }
        out.printf(Locale.ROOT, "%-41s %-8s %8.2e %15s %13s %7s%s%n", shortName(p), prec, err, figure(genRate), figure(refRate),
                doubt == null ? String.format(Locale.ROOT, "%.1fx", genRate.median() / refRate.median()) : "n/r", verdict);
        return pass;
    }

    private static String shortName(KernelProvider<?, ?, ?> p) {
        String n = p.generatedClass();
        return n.substring(n.lastIndexOf('.') + 1);
    }

    /** {@code 123,456 ±7%}: the median window and the spread of the windows around it. */
    private static String figure(QuickTimer.Rate r) {
        return String.format(Locale.ROOT, "%,.0f \u00b1%.0f%%%s", r.median(), 50 * r.spread(), r.settled() ? "" : "*");
    }

    /** Single-token steps on one stream, n per call, over 64 inputs in turn. */
    private static java.util.function.LongUnaryOperator stepper(LinearAttentionLayer layer, int d) {
        float[] xs = new float[d * 64];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = (float) Math.sin(0.37 * (i / d) + 0.11 * (i % d));
        }
        float[] x = new float[d];
        float[] y = new float[d];
        AttentionState s = layer.newState();
        return n -> {
            for (long t = 0; t < n; t++) {
                System.arraycopy(xs, (int) (t & 63) * d, x, 0, d);
                layer.step(s, x, y);
            }
            return n;
        };
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
