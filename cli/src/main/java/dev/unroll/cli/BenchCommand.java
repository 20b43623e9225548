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
        description = {"Quick throughput of a generated kernel against the generic engine (warm-up, then timed; JMH is in bench/).", "",
                "Times the generated kernel (the flavour this JVM picks) and the generic engine on the same seeded weights,",
                "each after a warm-up: attention layers by single-stream step() tokens/s, TRM models by network calls/s and",
                "GFLOP/s (batch 1), transformers by KV-cached greedy tokens/s (the stories260K checkpoint of the",
                "repository's fixtures for the Stories260K shapes).", "",
                "These are rough single-run figures; for numbers to quote, run the JMH benchmarks (README, Performance)."},
        footer = {"", "exit codes: 0 ok, 2 usage, 3 unknown kernel or missing model file"})
final class BenchCommand implements Callable<Integer> {
    /** Shortest timing run that measures anything. */
    static final double MIN_SECONDS = 0.01;
    /** Longest timing run (an hour). */
    static final double MAX_SECONDS = 3600;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "KERNEL", description = "a generated kernel, as in unroll inspect")
    String kernel;

    @Option(names = "--seconds", paramLabel = "S", defaultValue = "2", description = "timed seconds per engine (default: ${DEFAULT-VALUE})")
    double seconds;

    @Option(names = "--warmup", paramLabel = "S", defaultValue = "1", description = "warm-up seconds per engine (default: ${DEFAULT-VALUE})")
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
        Timer timer = new Timer(seconds, warmup, spec.commandLine().getErr());
        if (p instanceof LinearAttentionProvider a) {
            attention(a, timer, out);
        } else if (p instanceof TrmProvider t) {
            trm(t, timer, out);
        } else if (p instanceof TransformerProvider t) {
            transformer(t, timer, out);
        } else {
            throw new UnrollException("no benchmark for family " + p.family());
        }
        out.flush();
        return ExitCodes.OK;
    }

    private static void attention(LinearAttentionProvider p, Timer timer, PrintWriter out) {
        AttentionWeights w = AttentionWeights.seeded(p.spec());
        LinearAttentionLayer gen = p.create(w);
        double g = timer.rate("generated", stepper(gen));
        double r = timer.rate("generic", stepper(new GenericLinearAttention(w)));
        report(out, gen.implementation(), "tokens/s", g, r);
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

    private static void trm(TrmProvider p, Timer timer, PrintWriter out) {
        TrmWeights w = TrmWeights.seeded(p.spec());
        TrmModel gen = p.create(w);
        double g = timer.rate("generated", caller(gen));
        double r = timer.rate("generic", caller(new GenericTrm(w)));
        report(out, gen.implementation(), "network calls/s", g, r);
        out.printf(Locale.ROOT, "  = %.1f GFLOP/s generated, %.1f GFLOP/s generic (batch 1)%n",
                g * p.spec().flopsPerNetworkCall() / 1e9, r * p.spec().flopsPerNetworkCall() / 1e9);
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

    private static void transformer(TransformerProvider p, Timer timer, PrintWriter out) {
        Path bin = DataFiles.require("models/stories260K/stories260K.bin");
        Llama2c.Checkpoint c = Llama2c.load(bin);
        if (!c.spec().withoutBlock().equals(p.spec().withoutBlock())) {
            throw new UnrollException(Targets.shortName(p) + " (" + p.spec().describe() + ") does not fit " + bin + " (" + c.spec().describe() + ")");
        }
        TransformerModel gen = p.create(c.weights());
        double g = timer.rate("generated", generator(gen));
        double r = timer.rate("generic", generator(new GenericTransformer(c.weights())));
        report(out, gen.implementation(), "tokens/s", g, r);
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

    private static void report(PrintWriter out, String implementation, String unit, double generated, double generic) {
        out.println("runs:   " + implementation);
        out.printf(Locale.ROOT, "  generated %,14.0f %s%n", generated, unit);
        out.printf(Locale.ROOT, "  generic   %,14.0f %s%n", generic, unit);
        out.printf(Locale.ROOT, "  speedup   %14.1fx%n", generated / generic);
    }

    /** Runs work in growing batches: warm-up, then timed; progress on stderr. */
    private static final class Timer {
        private final double seconds;
        private final double warmup;
        private final PrintWriter err;

        Timer(double seconds, double warmup, PrintWriter err) {
            this.seconds = seconds;
            this.warmup = warmup;
            this.err = err;
        }

        /** @return operations per second after warm-up; work(n) runs about n operations and returns how many */
        double rate(String what, LongUnaryOperator work) {
            err.printf(Locale.ROOT, "%s: warming up %.1f s, timing %.1f s...%n", what, warmup, seconds);
            run(work, warmup);
            return run(work, seconds);
        }

        private static double run(LongUnaryOperator work, double seconds) {
            long batch = 1;
            long done = 0;
            long t0 = System.nanoTime();
            long deadline = t0 + (long) (seconds * 1e9);
            long now;
            while ((now = System.nanoTime()) < deadline) {
                done += work.applyAsLong(batch);
                if (System.nanoTime() - now < 50_000_000L) {
                    batch *= 2;
                }
            }
            return done / ((System.nanoTime() - t0) / 1e9);
        }
    }
}
