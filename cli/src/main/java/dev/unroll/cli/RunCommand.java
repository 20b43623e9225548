package dev.unroll.cli;

import dev.unroll.annotations.WeightFormat;
import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.Limits;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.attention.AttentionSpec;
import dev.unroll.runtime.attention.AttentionState;
import dev.unroll.runtime.attention.AttentionWeights;
import dev.unroll.runtime.attention.LinearAttentionLayer;
import dev.unroll.runtime.attention.LinearAttentionRunners;
import dev.unroll.runtime.backend.Backend;
import dev.unroll.runtime.backend.SequenceRunner;
import dev.unroll.runtime.internal.data.DataFiles;
import dev.unroll.runtime.registry.Family;
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
import dev.unroll.runtime.transformer.Sampler;
import dev.unroll.runtime.transformer.Tokenizer;
import dev.unroll.runtime.transformer.TransformerModel;
import dev.unroll.runtime.transformer.TransformerSpec;
import dev.unroll.runtime.transformer.TransformerWeights;
import dev.unroll.runtime.trm.Sudoku;
import dev.unroll.runtime.trm.TrmModel;
import dev.unroll.runtime.trm.TrmResult;
import dev.unroll.runtime.trm.TrmRunner;
import dev.unroll.runtime.trm.TrmRunners;
import dev.unroll.runtime.trm.TrmWeights;
import dev.unroll.runtime.weights.TensorSource;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code unroll run attention|trm|transformer ...}: runs a generated kernel on sensible default data. */
@Command(name = "run", mixinStandardHelpOptions = true, synopsisHeading = "usage: ",
        header = "Runs a generated kernel: attention over a synthetic stream, TRM on a Sudoku, stories260K generation.",
        subcommands = {RunCommand.Attention.class, RunCommand.Trm.class, RunCommand.Transformer.class},
        footer = {"", "Each family's --help has the details. The line 'backend:' says where the kernels ran.",
                "exit codes: 0 ok, 2 usage, 3 bad input (unknown kernel, unreadable file), 4 internal error, 5 out of memory"})
final class RunCommand implements Callable<Integer> {
    /** A hard Sudoku (17 givens is the minimum; this one has 23), the default TRM input. */
    static final String PUZZLE = "4.....8.5.3..........7......2.....6.....8.4......1.......6.3.7.5..2.....1.4......";

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "which family? attention, trm or transformer");
    }

    /** Where the kernels run. */
    static final class BackendOption {
        @Option(names = "--backend", paramLabel = "jvm|tornadovm", description = "where the kernels run: jvm, or tornadovm (the generated glue on TornadoVM's device; needs the "
                + "TornadoVM runtime, e.g. UNROLL_TORNADOVM=1 ./unroll ..., and examples built with -Ptornadovm). Default: TornadoVM "
                + "when its runtime and the glue are present, else the JVM.")
        Backend backend;
    }

    @Command(name = "attention", mixinStandardHelpOptions = true, synopsisHeading = "usage: ",
            header = "Streams a synthetic sequence through a generated linear-attention layer; prints the last output and the throughput.",
            description = "The N tokens are x_t[i] = sin(0.37 t + 0.11 i); the layer has its descriptor's seeded weights.")
    static final class Attention implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "KERNEL", arity = "0..1", completionCandidates = KernelNames.Attention.class,
                description = "a generated layer (Gla_D64, Gla.D64, "
                + "dev.unroll.examples.attention.Gla.D64; see unroll inspect); default: the first registered F32 one")
        String kernel;

        @Option(names = "--tokens", paramLabel = "N", defaultValue = "256", description = "tokens to stream (default: ${DEFAULT-VALUE})")
        int tokens;

        @Mixin
        BackendOption where;

        @Override
        public Integer call() {
            KernelProvider<?, ?, ?> p = pick(Family.LINEAR_ATTENTION, kernel);
            attention(p, streamLength(spec, positive(spec, "--tokens", tokens), ((LinearAttentionProvider) p).spec().width()), where.backend,
                    spec.commandLine().getOut());
            return ExitCodes.OK;
        }
    }

    @Command(name = "trm", mixinStandardHelpOptions = true, synopsisHeading = "usage: ",
            header = "Runs ACT (up to the descriptor's supervision steps) on an 81-character Sudoku and prints the predicted grid.")
    static final class Trm implements Callable<Integer> {
        @Parameters(paramLabel = "KERNEL", arity = "0..1", completionCandidates = KernelNames.Trm.class,
                description = "a generated TRM (see unroll inspect); default: the first registered F32 one")
        String kernel;

        @Option(names = "--puzzle", paramLabel = "GRID", description = "81 characters, '.' or '0' for blanks (default: a built-in puzzle)")
        String puzzle = PUZZLE;

        @Option(names = "--weights", paramLabel = "FILE", description = "safetensors with canonical names (default: the descriptor's seeded, untrained weights)")
        Path weights;

        @Option(names = "--state-dict", paramLabel = "FILE", description = "safetensors of a checkpoint with the official TinyRecursiveModels names "
                + "(attention + RoPE; docs/trm.md). With KERNEL, checked against its descriptor; without, the descriptor comes from the "
                + "checkpoint's shapes and --arch, and the generic engine runs it. A torch.save file is refused with the command that converts it.")
        Path stateDict;

        @Option(names = "--arch", paramLabel = "KEY=VALUE", description = "with --state-dict and no KERNEL: the training run's arch.* setting "
                + "(official names, e.g. L_cycles=6 H_cycles=3 num_heads=8; default: config/arch/trm.yaml's values and seq_len=81)")
        Map<String, String> arch = new LinkedHashMap<>();

        @Option(names = "--puzzle-id", paramLabel = "N", defaultValue = "0", description = "with --state-dict: the puzzle_emb row that becomes the "
                + "prefix (the dataset's puzzle identifier; Sudoku and maze have only 0; default: ${DEFAULT-VALUE})")
        int puzzleId;

        @Mixin
        BackendOption where;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws IOException {
            if (stateDict == null && (!arch.isEmpty() || puzzleId != 0)) {
                throw new ParameterException(spec.commandLine(), (arch.isEmpty() ? "--puzzle-id" : "--arch") + " needs --state-dict");
            }
            if (stateDict != null && weights != null) {
                throw new ParameterException(spec.commandLine(), "--weights and --state-dict are two sources of weights: give one");
            }
            if (stateDict != null && kernel != null && !arch.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "--arch describes the checkpoint when no KERNEL does: give KERNEL or --arch, not both");
            }
            if (puzzleId < 0) {
                throw new ParameterException(spec.commandLine(), "--puzzle-id " + puzzleId + ": must be >= 0");
            }
            PrintWriter out = spec.commandLine().getOut();
            Sudoku.parse(puzzle); // a bad grid fails before a checkpoint is read
            if (stateDict != null) {
                TrmStateDictRun.Loaded l = TrmStateDictRun.load(kernel == null ? null : (TrmProvider) pick(Family.TRM, kernel), stateDict, arch, puzzleId);
                solve(l.model(), l.kernel(), stateDict + " (TinyRecursiveModels names, puzzle " + puzzleId + ")", puzzle, where.backend, out,
                        spec.commandLine().getErr());
            } else {
                trm(pick(Family.TRM, kernel), puzzle, weights, where.backend, out, spec.commandLine().getErr());
            }
            return ExitCodes.OK;
        }
    }

    @Command(name = "transformer", mixinStandardHelpOptions = true, synopsisHeading = "usage: ",
            header = "Generates text from a llama2.c checkpoint (default: stories260K, from the repository's fixtures).",
            description = "Greedy, or sampled as run.c samples (the same options, the same tokens for the same seed), with the generated "
                    + "model for its shape when one is registered, else the generic engine.")
    static final class Transformer implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--model", paramLabel = "FILE|DIR", description = "a llama2.c checkpoint, a llama GGUF file (.gguf), or a Hugging Face "
                + "model folder (config.json, model.safetensors or shards, tokenizer.json; Llama, Mistral, Qwen2, Qwen3) (default: stories260K)")
        Path model;

        @Option(names = {"-z", "--tokenizer"}, paramLabel = "FILE", description = "its tokenizer (default: tok512.bin beside a checkpoint, "
                + "tokenizer.json in a folder)")
        Path tokenizer;

        @Option(names = {"-i", "--prompt"}, paramLabel = "TEXT", defaultValue = "", description = "the prompt (default: none)")
        String prompt;

        @Option(names = {"-t", "--temperature"}, paramLabel = "T", defaultValue = "0", description = {
            "sampling temperature, as run.c's -t; 0 is greedy (default: ${DEFAULT-VALUE})"})
        float temperature;

        @Option(names = {"-p", "--topp"}, paramLabel = "P", defaultValue = "0.9", description = {
            "top-p (nucleus) threshold when sampling, as run.c's -p; 0 or 1 draws from every token (default: ${DEFAULT-VALUE})"})
        float topp;

        @Option(names = {"-s", "--seed"}, paramLabel = "S", defaultValue = "42", description = {
            "the sampler's seed, as run.c's -s, not 0 (default: ${DEFAULT-VALUE}: runs repeat unless it changes)"})
        long seed;

        @Option(names = "--tokens", paramLabel = "N", description = "new tokens to generate after the prompt (default: 256)")
        Integer tokens;

        @Option(names = {"-n", "--steps"}, paramLabel = "N", description = {"forward passes in all, the prompt included: llama2.c run.c's -n "
            + "(N positions, N + 1 tokens with BOS; instead of --tokens)"})
        Integer steps;

        @Option(names = "--no-stop", description = "keep generating past BOS (by default generation stops at BOS, as run.c does)")
        boolean noStop;

        @Option(names = "--format", paramLabel = "F32|BF16|Q8|Q4", description = {
            "the generated model whose matrices are stored so (default: F32; for a GGUF file, the block format of most of its matrices,",
            "kept as the file's codes, else F32); without one, the generic engine runs"})
        WeightFormat format;

        /** @return the format asked for, F32 when none was */
        WeightFormat format() {
            return format == null ? WeightFormat.F32 : format;
        }

        @Option(names = "--loop", paramLabel = "START:END", description = "re-run layers START..END per token (a recurrent pass)")
        String loop;

        @Option(names = "--depth", paramLabel = "D", description = "passes over the loop (default: 2)")
        Integer depth;

        @Option(names = "--sustained", description = "also inject feedback at the newest token (no effect without feedback vectors)")
        boolean sustained;

        @Mixin
        BackendOption where;

        @Override
        public Integer call() {
            transformer(this, spec, spec.commandLine().getOut(), spec.commandLine().getErr());
            return ExitCodes.OK;
        }
    }

    /**
     * --tokens counts new tokens; --steps counts forward passes with the prompt, as run.c's -n: run.c
     * feeds positions 0..N-1 (the prompt's tokens, then its own) and prints the token each one
     * predicts, so a prompt of P tokens (BOS included) gets N - P + 1 new tokens.
     */
    static int newTokens(Transformer o, CommandSpec spec, int promptLength) {
        if (o.tokens != null && o.steps != null) {
            throw new ParameterException(spec.commandLine(), "give --tokens (new tokens) or --steps (positions, the prompt included), not both");
        }
        if (o.steps == null) {
            return positive(spec, "--tokens", o.tokens == null ? 256 : o.tokens);
        }
        if (o.steps < promptLength) {
            throw new ParameterException(spec.commandLine(), "--steps " + o.steps + ": the prompt already takes " + promptLength
                    + " positions; --steps counts positions, the prompt included (as run.c's -n), and must be at least " + promptLength);
        }
        return o.steps - promptLength + 1;
    }

    /**
     * The flavour of a one-shot run in a new JVM: scalar unless one is forced. Measured with
     * {@code ./unroll run} (each run a new JVM): the SIMD kernels run 3 to 10 times slower than the
     * scalar ones over the first few hundred tokens, until C2 has compiled the Vector API code
     * (stories260K, 128 tokens: about 100 tokens/s against 1,000 to 1,400), and are 5 times faster once
     * warm; a one-shot run never gets there.
     */
    /**
     * The flavour for a one-shot run of {@code flops} floating-point operations. Cold SIMD kernels run
     * their Vector API fallback until C2 has compiled them, 1.5-4 s on this project's machine
     * (bench/cold-start.sh), while the scalar kernels are fast within half a second at about
     * 3 GFLOP/s: so a job under {@link #SIMD_WORTH_IT_FLOPS} takes the scalar kernels.
     */
    static Flavour oneShot(boolean simdGenerated, double flops, PrintWriter out) {
        if (System.getProperty(Flavour.PROPERTY) != null) {
            return Flavour.choose(simdGenerated);
        }
        if (!simdGenerated || !Flavour.vectorModulePresent()) {
            return Flavour.SCALAR;
        }
        if (flops >= SIMD_WORTH_IT_FLOPS) {
            out.println(Wrap.lines("flavour: ", String.format(Locale.ROOT, "SIMD for this run (%.0f GFLOP: long enough to pay the JIT's 2-4 s warm-up; "
                    + "-Dunroll.flavour=scalar forces the scalar kernels)", flops / 1e9), "         "));
            return Flavour.SIMD;
        }
        out.println(Wrap.lines("flavour: ", String.format(Locale.ROOT, "scalar for this short run (%.2f GFLOP; cold SIMD kernels are 3-30x slower until "
                + "the JIT has compiled them; -Dunroll.flavour=simd forces them; unroll bench and JMH measure both warm)", flops / 1e9), "         "));
        return Flavour.SCALAR;
    }

    /** A linear-attention token's FLOPs: the projections, about 8 D^2, dominate (the spec's cost table). */
    static double flopsPerToken(AttentionSpec s) {
        return 8.0 * s.width() * s.width();
    }

    /** About the work the scalar kernels do in the SIMD kernels' warm-up time (3 s at 3 GFLOP/s). */
    static final double SIMD_WORTH_IT_FLOPS = 1e10;

    /** --tokens of a stream: its inputs and outputs, tokens x width floats each, fit one array and the memory budget. */
    static int streamLength(CommandSpec spec, int tokens, int width) {
        try {
            int n = Limits.arrayLength("the stream's inputs", tokens, width);
            Limits.checkBudget("the stream's inputs and outputs (2 x " + tokens + " tokens x " + width + " floats)", 8L * n);
        } catch (UnrollException e) {
            throw new ParameterException(spec.commandLine(), "--tokens " + tokens + ": " + e.getMessage());
        }
        return tokens;
    }

    static int positive(CommandSpec spec, String option, int value) {
        if (value < 1) {
            throw new ParameterException(spec.commandLine(), option + " " + value + ": must be >= 1");
        }
        return value;
    }

    private static KernelProvider<?, ?, ?> pick(Family family, String kernel) {
        if (kernel == null) {
            return Targets.first(family);
        }
        return Targets.find(family, kernel);
    }

    private static void attention(KernelProvider<?, ?, ?> kernel, int tokens, Backend backend, PrintWriter out) {
        LinearAttentionProvider p = (LinearAttentionProvider) kernel;
        LinearAttentionLayer layer = p.create(AttentionWeights.seeded(p.spec()), oneShot(p.simdGenerated(), flopsPerToken(p.spec()) * tokens, out));
        out.println(Wrap.lines("kernel: ", Targets.shortName(p) + "  " + Targets.describe(p), "          "));
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
        try (SequenceRunner r = LinearAttentionRunners.open(layer, s, tokens, backend)) {
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
        out.println(Wrap.lines("", String.format(Locale.ROOT, "%d tokens as one sequence in %.3f s (%.0f tokens/s, cold: first call; unroll bench warms up)",
                tokens, secs, tokens / secs), "  "));
    }

    private static void trm(KernelProvider<?, ?, ?> kernel, String puzzle, Path weightsFile, Backend backend, PrintWriter out, PrintWriter err)
            throws IOException {
        TrmProvider p = (TrmProvider) kernel;
        sudoku(p.spec(), Targets.shortName(p));
        Sudoku.parse(puzzle);
        TrmWeights w;
        if (weightsFile == null) {
            w = TrmWeights.seeded(p.spec());
        } else {
            try (SafetensorsFile f = SafetensorsFile.open(weightsFile)) {
                w = TrmWeights.load(p.spec(), TensorSource.of(f));
            }
        }
        solve(p.create(w), Targets.shortName(p) + "  " + Targets.describe(p), weightsFile == null ? "seeded (untrained: expect a wrong grid)"
                : weightsFile.toString(), puzzle, backend, out, err);
    }

    /** A Sudoku model: 81 cells, digits in the vocabulary. */
    private static void sudoku(dev.unroll.runtime.trm.TrmSpec s, String name) {
        if (s.context() != 81 || s.vocab() < 10) {
            throw new UnrollException(name + " is not a Sudoku model (context " + s.context() + ", vocab " + s.vocab()
                    + "): it needs context 81 and a vocabulary of at least 10");
        }
    }

    /** ACT on one puzzle; prints the model, the steps and the grids. */
    private static void solve(TrmModel m, String kernelLine, String weightsLine, String puzzle, Backend backend, PrintWriter out, PrintWriter err) {
        sudoku(m.spec(), "the model");
        int[] tokens = Sudoku.parse(puzzle);
        out.println(Wrap.lines("kernel:  ", kernelLine, "           "));
        out.println("runs:    " + m.implementation());
        out.println("weights: " + weightsLine);
        TrmResult r;
        double secs;
        try (TrmRunner runner = TrmRunners.open(m, 1, backend)) {
            out.println("backend: " + runner.backend().describe());
            out.flush();
            long t0 = System.nanoTime();
            try (Progress bar = Progress.onConsole(err, "ACT", m.spec().maxSupervisionSteps())) {
                bar.update(0); // at once: a step may take seconds (tens of them on a TornadoVM device)
                r = runner.solve(tokens, false, bar::update);
            }
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

    /** Checks the sampling options as run.c's sampler needs them; returns how the tokens are chosen, for the report. */
    static String sampling(Transformer o, CommandSpec spec) {
        if (!Float.isFinite(o.temperature) || o.temperature < 0) {
            throw new ParameterException(spec.commandLine(), "--temperature " + o.temperature + ": must be finite and >= 0 (0 is greedy)");
        }
        if (!(o.topp >= 0 && o.topp <= 1)) {
            throw new ParameterException(spec.commandLine(), "--topp " + o.topp + ": must be in [0, 1]");
        }
        if (o.seed == 0) {
            throw new ParameterException(spec.commandLine(), "--seed 0: the sampler's xorshift stays at 0; give any other number");
        }
        return o.temperature == 0 ? "greedy"
                : String.format(Locale.ROOT, "sampled (temperature %s, top-p %s, seed %d)", o.temperature, o.topp, o.seed);
    }

    static RecurrentPassSpec recurrence(Transformer o, CommandSpec spec) {
        String loop = o.loop;
        if (loop == null) {
            if (o.sustained || o.depth != null) {
                throw new ParameterException(spec.commandLine(), "--depth and --sustained need --loop START:END");
            }
            return null;
        }
        String[] se = loop.split(":");
        try {
            if (se.length == 2) {
                return RecurrentPassSpec.noFeedback(Integer.parseInt(se[0]), Integer.parseInt(se[1]))
                        .withDepth(positive(spec, "--depth", o.depth == null ? 2 : o.depth)).withSustained(o.sustained);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new ParameterException(spec.commandLine(), "--loop " + loop + ": expected START:END, e.g. 1:3");
    }

    private static void transformer(Transformer o, CommandSpec spec, PrintWriter out, PrintWriter err) {
        if (o.model != null && Files.isDirectory(o.model)) {
            HfFolderRun.run(o, spec, out, err);
            return;
        }
        if (o.model != null && GgufRun.isGguf(o.model)) {
            GgufRun.run(o, spec, out, err);
            return;
        }
        Path model = o.model != null ? o.model : DataFiles.require("models/stories260K/stories260K.bin");
        Path tokenizer = o.tokenizer != null ? o.tokenizer : model.resolveSibling("tok512.bin");
        if (!Files.isRegularFile(model)) {
            throw new UnrollException("model file " + model + " not found (give --model FILE, a llama2.c checkpoint)");
        }
        // tensor by tensor: a generated model packs each matrix as it is read, never holding the file's weights whole
        Llama2c.Checkpoint c = Llama2c.open(model);
        // a tokenizer given is loaded or an error; the default one beside the model is optional
        Tokenizer tok = o.tokenizer != null || Files.exists(tokenizer) ? Tokenizer.load(tokenizer, c.spec().vocab()) : null;
        if (tok == null && !o.prompt.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--prompt needs a tokenizer: none beside " + model + " (give --tokenizer FILE)");
        }
        if (tok == null) {
            out.println("tokenizer: none beside the model (" + tokenizer + "), so the tokens print as ids");
        }
        int[] prompt = tok == null ? new int[] {Tokenizer.BOS} : tok.encode(o.prompt, true, false);
        Generation g = generation(o, spec, prompt, Set.of(Tokenizer.BOS));
        RecurrentPassSpec rp = g.recurrence();
        TransformerSpec shape = c.spec();
        if (rp != null) {
            // a model generated with this very block runs it unrolled; any other runs it as a loop
            shape = shape.withBlock(new TransformerSpec.Block(rp.loopStart(), rp.loopEnd(), rp.depth()));
        }
        WeightFormat format = o.format();
        Optional<TransformerProvider> generated = KernelRegistry.transformer(shape, format).or(() -> KernelRegistry.transformer(c.spec(), format));
        if (generated.isEmpty() && format != WeightFormat.F32) {
            throw new ParameterException(spec.commandLine(), "--format " + format + ": no generated model of " + c.spec().describe()
                    + " stores its matrices as " + format + " (annotate one with weights = WeightFormat." + format + ")");
        }
        TransformerModel m = decoder(generated, c.weights(), c.spec(), g, model, out);
        // the text is printed as it is generated (the prompt's first), as run.c does; the figures go to
        // stderr afterwards, as run.c's "achieved tok/s" does, so that stdout is the text
        GenerationResult r = tok == null ? generateIds(m, o, g, out) : generateText(m, o, g, tok, out);
        figures(err, sampling(o, spec), g, r, "BOS");
    }

    /**
     * The decoder that runs a generation, said on {@code out} with the file it came from: the generated
     * model when there is one (its flavour chosen for the generation's work), else the generic engine.
     */
    static TransformerModel decoder(Optional<TransformerProvider> generated, TransformerWeights w, TransformerSpec shape, Generation g, Object source,
            PrintWriter out) {
        double flops = flops(shape, g);
        TransformerModel m = generated.map(p -> p.create(w, oneShot(p.simdGenerated(), flops, out))).orElseGet(() -> new GenericTransformer(w));
        out.println(Wrap.lines("model:  ", source + "  " + shape.describe(), "          "));
        out.println("runs:   " + m.implementation());
        return m;
    }

    /** Generates with llama2.c's tokenizer, printing the prompt and then each token's text as it comes. */
    static GenerationResult generateText(TransformerModel m, Transformer o, Generation g, Tokenizer tok, PrintWriter out) {
        int[] prompt = g.prompt();
        TextStream text = new TextStream(out);
        for (int i = 1; i < prompt.length; i++) {
            text.write(tok.printed(prompt[i - 1], prompt[i]));
        }
        int[] last = {prompt[prompt.length - 1]};
        GenerationResult r = new CachedGenerator(m, o.where.backend).generate(g, next -> {
            text.write(tok.printed(last[0], next));
            last[0] = next;
        });
        text.end();
        return r;
    }

    /**
     * The generation the options ask for: greedy or run.c's sampler, {@code stops} ending it unless
     * {@code --no-stop}, the recurrent pass of {@code --loop}.
     */
    static Generation generation(Transformer o, CommandSpec spec, int[] prompt, Set<Integer> stops) {
        int tokens = newTokens(o, spec, prompt.length);
        sampling(o, spec); // checks the sampling options
        Generation g = Generation.greedy(prompt, tokens).withStopTokens(o.noStop ? Set.of() : stops);
        if (o.temperature > 0) {
            g = g.withSampler(new Sampler(o.temperature, o.topp, o.seed));
        }
        RecurrentPassSpec rp = recurrence(o, spec);
        return rp == null ? g : g.withRecurrence(rp);
    }

    /** The floating-point operations of a generation, its recurrent pass included: what decides a one-shot run's flavour. */
    static double flops(TransformerSpec s, Generation g) {
        RecurrentPassSpec rp = g.recurrence();
        return 2.0 * s.parameters() * (g.prompt().length + g.maxNewTokens())
                * (rp == null ? 1 : 1 + (rp.depth() - 1) * (rp.loopEnd() - rp.loopStart() + 1) / (double) s.layers());
    }

    /** Generates without a tokenizer, printing the token ids at the end. */
    static GenerationResult generateIds(TransformerModel m, Transformer o, Generation g, PrintWriter out) {
        GenerationResult r = new CachedGenerator(m, o.where.backend).generate(g);
        out.println(java.util.Arrays.toString(r.tokens()));
        return r;
    }

    /**
     * The figures after the text, on stderr as run.c's "achieved tok/s": the backend, the tokens and
     * positions (as run.c counts them, its -n: each token but the last was fed forward once), whether
     * {@code stop} ended the run, the rate, and the recurrent pass's warnings.
     */
    static void figures(PrintWriter err, String how, Generation g, GenerationResult r, String stop) {
        err.println("backend: " + (r.mode().contains("TornadoVM") ? Backend.TORNADOVM : Backend.JVM).describe());
        boolean stopped = r.generated() < g.maxNewTokens();
        int prompt = g.prompt().length;
        err.println(Wrap.lines("", String.format(Locale.ROOT, "%s, %d new tokens after a %d-token prompt, %d positions (%s; %s), %.0f tokens/s (cold: "
                + "one run in a new JVM, JIT warm-up included; unroll bench and the JMH benchmarks measure warm)", how, r.generated(),
                prompt, prompt + r.generated() - 1, stopped ? "stopped at " + stop : "as many as asked", r.mode(), r.tokensPerSecond()), "  "));
        r.warnings().forEach(w -> err.println("warning: " + w));
        err.flush();
    }
}
