package dev.unroll.runtime.cli;

import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.attention.AttentionState;
import dev.unroll.runtime.attention.AttentionWeights;
import dev.unroll.runtime.attention.LinearAttentionLayer;
import dev.unroll.runtime.attention.LinearAttentionRunners;
import dev.unroll.runtime.backend.Backend;
import dev.unroll.runtime.backend.SequenceRunner;
import dev.unroll.runtime.registry.KernelProvider;
import dev.unroll.runtime.registry.KernelRegistry;
import dev.unroll.runtime.registry.LinearAttentionProvider;
import dev.unroll.runtime.registry.TransformerProvider;
import dev.unroll.runtime.registry.TrmProvider;
import dev.unroll.runtime.safetensors.SafetensorsFile;
import dev.unroll.runtime.transformer.CachedGenerator;
import dev.unroll.runtime.transformer.Generation;
import dev.unroll.runtime.transformer.GenerationResult;
import dev.unroll.runtime.transformer.GenericTransformer;
import dev.unroll.runtime.transformer.Llama2c;
import dev.unroll.runtime.transformer.RecurrentPassSpec;
import dev.unroll.runtime.transformer.Tokenizer;
import dev.unroll.runtime.transformer.TransformerModel;
import dev.unroll.runtime.transformer.TransformerSpec;
import dev.unroll.runtime.trm.Sudoku;
import dev.unroll.runtime.trm.TrmModel;
import dev.unroll.runtime.trm.TrmResult;
import dev.unroll.runtime.trm.TrmRunner;
import dev.unroll.runtime.trm.TrmRunners;
import dev.unroll.runtime.trm.TrmWeights;
import dev.unroll.runtime.weights.TensorSource;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import dev.unroll.runtime.data.DataFiles;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** {@code unroll run attention|trm|transformer ...}: runs a generated kernel on sensible default data. */
final class RunCommand implements CliCommand {
    /** A hard Sudoku (17 givens is the minimum; this one has 23), the default TRM input. */
    static final String PUZZLE = "4.....8.5.3..........7......2.....6.....8.4......1.......6.3.7.5..2.....1.4......";

    @Override
    public String name() {
        return "run";
    }

    @Override
    public String summary() {
        return "run a generated kernel: attention over a synthetic stream, TRM on a Sudoku, stories260K generation";
    }

    @Override
    public String help() {
        return String.join("\n",
                "usage: unroll run attention [KERNEL] [--tokens N] [--backend jvm|tornadovm]",
                "       unroll run trm [KERNEL] [--puzzle GRID] [--weights FILE] [--backend jvm|tornadovm]",
                "       unroll run transformer [--model FILE] [--tokenizer FILE] [--prompt TEXT] [--tokens N]",
                "                              [--loop START:END] [--depth D] [--sustained] [--backend jvm|tornadovm]",
                "",
                "attention    streams N tokens (default 256) of x_t[i] = sin(0.37 t + 0.11 i) through a generated layer",
                "             with its seeded weights; prints the last output and the throughput. KERNEL names a",
                "             generated layer (Gla_D64, Gla.D64, dev.unroll.examples.attention.Gla.D64; see",
                "             unroll inspect); default: the first registered one.",
                "trm          runs ACT (up to the descriptor's supervision steps) on an 81-character Sudoku (default: a",
                "             built-in puzzle; '.' or '0' for blanks) and prints the predicted grid. Weights: --weights",
                "             FILE (safetensors, canonical names) or the descriptor's seeded, untrained weights.",
                "transformer  greedy generation from a llama2.c checkpoint (default: stories260K, from the repository's",
                "             fixtures; see DataFiles),",
                "             with the generated model for its shape when one is registered, else the generic engine.",
                "             --loop 1:3 --depth 2 re-runs layers 1..3 twice per token (a recurrent pass); --sustained",
                "             also injects feedback at the newest token (no effect without feedback vectors).",
                "",
                "--backend    where the kernels run: jvm, or tornadovm (the generated glue on TornadoVM's device; needs",
                "             the TornadoVM runtime, e.g. UNROLL_TORNADOVM=1 ./unroll ..., and examples built with -Ptornadovm).",
                "             Default: TornadoVM when its runtime and the glue are present, else the JVM. The line",
                "             'backend:' says which ran, and on which device.",
                "",
                "exit codes: 0 ok, 2 usage, 3 bad input (unknown kernel, unreadable file), 4 internal error");
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws IOException {
        if (args.isEmpty()) {
            throw new UsageException("which family? attention, trm or transformer");
        }
        String family = args.get(0);
        List<String> rest = args.subList(1, args.size());
        switch (family) {
            case "attention" -> attention(new Options(rest, Set.of("--tokens", "--backend"), Set.of()), out, err);
            case "trm" -> trm(new Options(rest, Set.of("--puzzle", "--weights", "--backend"), Set.of()), out);
            case "transformer" -> transformer(new Options(rest, Set.of("--model", "--tokenizer", "--prompt", "--tokens", "--loop", "--depth",
                    "--backend"), Set.of("--sustained")), out);
            default -> throw new UsageException("unknown family " + family + ": expected attention, trm or transformer");
        }
        return ExitCodes.OK;
    }

    private static KernelProvider pick(String family, Options o) {
        if (o.positional().size() > 1) {
            throw new UsageException("one kernel at a time, got " + o.positional());
        }
        if (o.positional().isEmpty()) {
            List<KernelProvider> all = Targets.of(family);
            if (all.isEmpty()) {
                throw new UnrollException("no generated " + family + " kernel on the class path");
            }
            return all.get(0);
        }
        return Targets.find(family, o.positional().get(0));
    }

    private static void attention(Options o, PrintStream out, PrintStream err) {
        LinearAttentionProvider p = (LinearAttentionProvider) pick("linear-attention", o);
        int tokens = o.integer("--tokens", 256, 1);
        LinearAttentionLayer layer = p.create(AttentionWeights.seeded(p.spec()));
        out.println("kernel: " + Targets.shortName(p) + "  " + p.spec().describe());
        out.println("runs:   " + layer.implementation());
        int d = p.spec().width();
        AttentionState s = layer.newState();
        float[] xs = new float[tokens * d];
        float[] ys = new float[tokens * d];
        for (int t = 0; t < tokens; t++) {
            for (int i = 0; i < d; i++) {
                xs[t * d + i] = (float) Math.sin(0.37 * t + 0.11 * i);
            }
        }
        double secs;
        try (SequenceRunner r = LinearAttentionRunners.open(layer, s, tokens, o.backend())) {
            out.println("backend: " + r.backend().describe());
            long t0 = System.nanoTime();
            r.run(xs, ys);
            r.syncState();
            secs = (System.nanoTime() - t0) / 1e9;
        }
        float[] y = java.util.Arrays.copyOfRange(ys, (tokens - 1) * d, tokens * d);
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < Math.min(8, d); i++) {
            sb.append(String.format(Locale.ROOT, "%s%.6f", i == 0 ? "" : " ", y[i]));
        }
        out.printf(Locale.ROOT, "y[%d][0..%d] = %s%s%n", tokens - 1, Math.min(8, d) - 1, sb, d > 8 ? " ..." : "");
        out.printf(Locale.ROOT, "%d tokens as one sequence in %.3f s (%.0f tokens/s, cold: first call; unroll bench warms up)%n", tokens, secs, tokens / secs);
    }

    private static void trm(Options o, PrintStream out) throws IOException {
        TrmProvider p = (TrmProvider) pick("trm", o);
        String puzzle = o.string("--puzzle", PUZZLE);
        if (p.spec().context() != 81 || p.spec().vocab() < 10) {
            throw new UnrollException(Targets.shortName(p) + " is not a Sudoku model (context " + p.spec().context() + ", vocab "
                    + p.spec().vocab() + "): it needs context 81 and a vocabulary of at least 10");
        }
        int[] tokens = Sudoku.parse(puzzle);
        String weightsFile = o.string("--weights", null);
        TrmWeights w;
        if (weightsFile == null) {
            w = TrmWeights.seeded(p.spec());
        } else {
            try (SafetensorsFile f = SafetensorsFile.open(Path.of(weightsFile))) {
                w = TrmWeights.load(p.spec(), TensorSource.of(f));
            }
        }
        TrmModel m = p.create(w);
        out.println("kernel:  " + Targets.shortName(p) + "  " + p.spec().describe());
        out.println("runs:    " + m.implementation());
        out.println("weights: " + (weightsFile == null ? "seeded (untrained: expect a wrong grid)" : weightsFile));
        TrmResult r;
        double secs;
        try (TrmRunner runner = TrmRunners.open(m, 1, o.backend())) {
            out.println("backend: " + runner.backend().describe());
            long t0 = System.nanoTime();
            r = runner.solve(tokens, false);
            secs = (System.nanoTime() - t0) / 1e9;
        }
        int[] prediction = r.prediction(0, 81);
        out.printf(Locale.ROOT, "ACT: %d supervision steps, halting logit %.2f, %.2f s%n", r.steps()[0], r.halt()[0], secs);
        String[] a = Sudoku.pretty(puzzle).split("\n");
        String[] b = Sudoku.pretty(Sudoku.format(prediction)).split("\n");
        out.printf("  %-22s  %s%n", "puzzle", "prediction");
        for (int i = 0; i < a.length; i++) {
            out.printf("  %-22s  %s%n", a[i], b[i]);
        }
        out.println("valid solution: " + (Sudoku.isSolution(prediction) && Sudoku.keepsGivens(tokens, prediction) ? "yes" : "no"));
    }

    private static RecurrentPassSpec recurrence(Options o) {
        String loop = o.string("--loop", null);
        if (loop == null) {
            if (o.flag("--sustained") || o.string("--depth", null) != null) {
                throw new UsageException("--depth and --sustained need --loop START:END");
            }
            return null;
        }
        String[] se = loop.split(":");
        try {
            if (se.length == 2) {
                return RecurrentPassSpec.noFeedback(Integer.parseInt(se[0]), Integer.parseInt(se[1]))
                        .withDepth(o.integer("--depth", 2, 1)).withSustained(o.flag("--sustained"));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("--loop " + loop + ": expected START:END, e.g. 1:3");
    }

    private static void transformer(Options o, PrintStream out) {
        String given = o.string("--model", null);
        Path model = given != null ? Path.of(given) : DataFiles.require("models/stories260K/stories260K.bin");
        Path tokenizer = Path.of(o.string("--tokenizer", model.resolveSibling("tok512.bin").toString()));
        if (!Files.isRegularFile(model)) {
            throw new UnrollException("model file " + model + " not found (give --model FILE, a llama2.c checkpoint)");
        }
        Llama2c.Checkpoint c = Llama2c.load(model);
        Tokenizer tok = Files.isRegularFile(tokenizer) ? Tokenizer.load(tokenizer, c.spec().vocab()) : null;
        int[] prompt = tok == null ? new int[] {Tokenizer.BOS} : tok.encode(o.string("--prompt", ""), true, false);
        Generation g = Generation.greedy(prompt, o.integer("--tokens", 256, 1));
        RecurrentPassSpec rp = recurrence(o);
        TransformerSpec shape = c.spec();
        if (rp != null) {
            g = g.withRecurrence(rp);
            // a model generated with this very block runs it unrolled; any other runs it as a loop
            shape = shape.withBlock(new TransformerSpec.Block(rp.loopStart(), rp.loopEnd(), rp.depth()));
        }
        Optional<TransformerProvider> generated = KernelRegistry.transformer(shape).or(() -> KernelRegistry.transformer(c.spec()));
        TransformerModel m = generated.map(p -> p.create(c.weights())).orElseGet(() -> new GenericTransformer(c.weights()));
        out.println("model:  " + model + "  " + c.spec().describe());
        out.println("runs:   " + m.implementation());
        GenerationResult r = new CachedGenerator(m, o.backend()).generate(g);
        out.println("backend: " + (r.mode().contains("TornadoVM") ? Backend.TORNADOVM : Backend.JVM).describe());
        out.printf(Locale.ROOT, "greedy, %d tokens (%s), %.0f tokens/s:%n", r.generated(), r.mode(), r.tokensPerSecond());
        out.println(tok == null ? java.util.Arrays.toString(r.tokens()) : tok.decode(r.tokens()));
        r.warnings().forEach(w -> out.println("warning: " + w));
    }
}
