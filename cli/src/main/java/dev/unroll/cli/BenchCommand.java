package dev.unroll.cli;

import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.attention.AttentionState;
import dev.unroll.runtime.attention.AttentionWeights;
import dev.unroll.runtime.attention.GenericLinearAttention;
import dev.unroll.runtime.attention.LinearAttentionLayer;
import dev.unroll.runtime.internal.data.DataFiles;
import dev.unroll.runtime.registry.KernelProvider;
import dev.unroll.runtime.registry.LinearAttentionProvider;
import dev.unroll.runtime.registry.TransformerProvider;
import dev.unroll.runtime.registry.TrmProvider;
import dev.unroll.runtime.transformer.CachedGenerator;
import dev.unroll.runtime.transformer.Generation;
import dev.unroll.runtime.transformer.GenericTransformer;
import dev.unroll.runtime.transformer.Llama2c;
import dev.unroll.runtime.transformer.TransformerModel;
import dev.unroll.runtime.trm.GenericTrm;
import dev.unroll.runtime.trm.TrmModel;
import dev.unroll.runtime.trm.TrmWeights;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.function.LongUnaryOperator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code unroll bench KERNEL}: a quick in-process throughput comparison of a generated kernel and the
 * generic engine, with warm-up, for users without JMH. Rough by design: the README's figures come
 * from the JMH benchmarks in {@code bench/}.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, synopsisHeading = "usage: ",
        header = "Measures a generated kernel's throughput against the generic engine, quickly (JMH is in bench/).",
        description = {"Times the generated kernel (the flavour this JVM picks) and the generic engine on the same seeded weights, "
                + "each after a warm-up: attention layers by single-stream step() tokens/s, TRM models by network calls/s and "
                + "GFLOP/s (batch 1), transformers by KV-cached greedy tokens/s (the stories260K checkpoint of the "
                + "repository's fixtures for the Stories260K shapes).", "",
                "Each engine warms up until two windows agree, then runs 5 timed windows: the median is the figure, the "
                + "slowest and fastest its spread. A speedup is printed only when both figures settled, spread at most 25 %% "
                + "and the load average is below the core count; otherwise the output says why not. "
                + "These are rough single-run figures; for numbers to quote, run the JMH benchmarks (README, Performance)."},
        footer = {"", "exit codes: 0 ok, 2 usage, 3 unknown kernel or missing model file"})
final class BenchCommand implements Callable<Integer> {
    /** Shortest timing run that measures anything. */
    static final double MIN_SECONDS = 0.01;
    /** Longest timing run (an hour). */
    static final double MAX_SECONDS = 3600;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "KERNEL", completionCandidates = KernelNames.class, description = "a generated kernel, as in unroll inspect")
    String kernel;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "2", description = "timed seconds per engine (default: ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--warmup", paramLabel = "S", defaultValue = "0.5", description = {
        "seconds per warm-up window; windows repeat until two agree within 10 %% (at most 10) (default: ${DEFAULT-VALUE})"})
    double warmup;

    @Override
    public Integer call() {
        if (!(seconds >= MIN_SECONDS && seconds <= MAX_SECONDS) || !(warmup >= MIN_SECONDS && warmup <= MAX_SECONDS)) {
            throw new ParameterException(spec.commandLine(), "--seconds " + seconds + " and --warmup " + warmup + ": each must be in ["
                    + MIN_SECONDS + ", " + MAX_SECONDS + "] seconds");
        }
        PrintWriter out = spec.commandLine().getOut();
        KernelProvider<?, ?, ?> p = Targets.find(null, kernel);
        out.println("kernel: " + Targets.shortName(p) + " (" + p.family() + ")");
        String loaded = QuickTimer.loadWarning(QuickTimer.loadAverage(), Runtime.getRuntime().availableProcessors());
        if (loaded != null) {
            out.println("warning: " + loaded);
        }
        QuickTimer timer = new QuickTimer(seconds, warmup, spec.commandLine().getErr());
        if (p instanceof LinearAttentionProvider a) {
            attention(a, timer, out, loaded);
        } else if (p instanceof TrmProvider t) {
            trm(t, timer, out, loaded);
        } else if (p instanceof TransformerProvider t) {
            transformer(t, timer, out, loaded);
        } else {
            throw new UnrollException("no benchmark for family " + p.family());
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static void attention(LinearAttentionProvider p, QuickTimer timer, PrintWriter out, String loaded) {
        AttentionWeights w = AttentionWeights.seeded(p.spec());
        LinearAttentionLayer gen = p.create(w);
        QuickTimer.Rate g = timer.rate("generated", stepper(gen));
        QuickTimer.Rate r = timer.rate("generic", stepper(new GenericLinearAttention(w)));
        report(out, gen.implementation(), "tokens/s", g, r, loaded);
    }

    private static LongUnaryOperator stepper(LinearAttentionLayer layer) {
        int d = layer.spec().width();
        AttentionState s = layer.newState();
        float[] x = new float[d];
        float[] y = new float[d];
        for (int i = 0; i < d; i++) {
            x[i] = (float) Math.sin(0.11 * i);
        }
        return n -> {
            for (long i = 0; i < n; i++) {
                layer.step(s, x, y);
            }
            return n;
        };
    }

    private static void trm(TrmProvider p, QuickTimer timer, PrintWriter out, String loaded) {
        TrmWeights w = TrmWeights.seeded(p.spec());
        TrmModel gen = p.create(w);
        QuickTimer.Rate g = timer.rate("generated", caller(gen));
        QuickTimer.Rate r = timer.rate("generic", caller(new GenericTrm(w)));
        report(out, gen.implementation(), "network calls/s", g, r, loaded);
        out.printf(Locale.ROOT, "  = %.1f GFLOP/s generated, %.1f GFLOP/s generic (batch 1, medians)%n",
                g.median() * p.spec().flopsPerNetworkCall() / 1e9, r.median() * p.spec().flopsPerNetworkCall() / 1e9);
    }

    private static LongUnaryOperator caller(TrmModel m) {
        int[] tokens = new int[m.spec().context()];
        for (int i = 0; i < tokens.length; i++) {
            tokens[i] = i % m.spec().vocab();
        }
        float[] in = m.embed(tokens, 1);
        float[] outv = new float[in.length];
        return n -> {
            for (long i = 0; i < n; i++) {
                m.network(in, 1, outv);
            }
            return n;
        };
    }

    private static void transformer(TransformerProvider p, QuickTimer timer, PrintWriter out, String loaded) {
        Path bin = DataFiles.require("models/stories260K/stories260K.bin");
        Llama2c.Checkpoint c = Llama2c.load(bin);
        if (!c.spec().withoutBlock().equals(p.spec().withoutBlock())) {
            throw new UnrollException(Targets.shortName(p) + " (" + p.spec().describe() + ") does not fit " + bin + " (" + c.spec().describe() + ")");
        }
        TransformerModel gen = p.create(c.weights());
        QuickTimer.Rate g = timer.rate("generated", generator(gen));
        QuickTimer.Rate r = timer.rate("generic", generator(new GenericTransformer(c.weights())));
        report(out, gen.implementation(), "tokens/s", g, r, loaded);
    }

    private static LongUnaryOperator generator(TransformerModel m) {
        CachedGenerator gen = new CachedGenerator(m);
        Generation g = Generation.greedy(new int[] {1}, 128);
        return n -> {
            long tokens = 0;
            for (long i = 0; i < Math.max(1, n / 128); i++) {
                tokens += gen.generate(g).generated();
            }
            return tokens;
        };
    }

    private static void report(PrintWriter out, String implementation, String unit, QuickTimer.Rate generated, QuickTimer.Rate generic, String loaded) {
        out.println("runs:   " + implementation);
        QuickTimer.report(out, unit, generated, generic, loaded);
    }
}
