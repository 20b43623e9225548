package dev.unroll.cli;

import dev.unroll.cli.golden.FlaCall;
import dev.unroll.cli.golden.Llama2cLogits;
import dev.unroll.cli.golden.TrmTrace;
import dev.unroll.cli.verify.AttentionVerifier;
import dev.unroll.cli.verify.FlaOps;
import dev.unroll.cli.verify.FlaVerifier;
import dev.unroll.cli.verify.Tolerance;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.golden.ReferenceGolden;
import dev.unroll.runtime.internal.json.Json;
import dev.unroll.runtime.safetensors.SafetensorsFile;
import dev.unroll.runtime.safetensors.SafetensorsWriter;
import dev.unroll.runtime.trm.TrmSpec;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code unroll golden …}: turns what users have into golden files that {@code unroll verify} runs. */
@Command(name = "golden", mixinStandardHelpOptions = true, synopsisHeading = "usage: ",
        header = "Writes golden files (docs/golden-format.md) from what users have, for unroll verify to check.",
        description = "One converter for each: the attention reference's JSON, a PyTorch TRM trace, a llama2.c checkpoint with "
                + "per-position logits, a saved fla call. Check the files they write with unroll verify.",
        subcommands = {GoldenCommand.Reference.class, GoldenCommand.Trm.class, GoldenCommand.Llama2c.class, GoldenCommand.FlaOp.class})
final class GoldenCommand {
    /** An option's value in a message: at most 60 characters of it. */
    static String abbreviated(String value) {
        return value == null ? "null" : value.length() <= 60 ? value : value.substring(0, 57) + "...";
    }

    /** The output file, common to every converter. */
    static final class Out {
        @Option(names = {"-o", "--out"}, paramLabel = "FILE", required = true, description = "the golden file to write (.safetensors)")
        Path out;
    }

    /** A tolerance option: a number in [0, Tolerance.MAX], as verify accepts in a file. */
    static double tolerance(CommandSpec spec, String option, double value) {
        if (!(value >= 0) || value > Tolerance.MAX) {
            throw new ParameterException(spec.commandLine(), option + " " + value + ": must be in [0, " + Tolerance.MAX
                    + "] (verify refuses a looser bound: it would pass almost any result)");
        }
        return value;
    }

    static Integer write(CommandSpec spec, SafetensorsWriter w, Path out) {
        w.write(out);
        spec.commandLine().getOut().println("wrote " + out + "; check it with: unroll verify " + out);
        return ExitCodes.OK;
    }

    @Command(name = "reference", mixinStandardHelpOptions = true, synopsisHeading = "usage: ",
            header = "Converts the attention reference's JSON golden file (weights or weights_digest) to a golden file, weights in F64.")
    static final class Reference implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE.json", description = "the attention reference's JSON golden file")
        Path in;

        @Option(names = "--rel", paramLabel = "R", defaultValue = "1e-12", description = "relative tolerance (default: ${DEFAULT-VALUE})")
        double rel;

        @picocli.CommandLine.Mixin
        Out out;

        @Override
        public Integer call() {
            Tolerance t = new Tolerance(0, tolerance(spec, "--rel", rel));
            ReferenceGolden g = ReferenceGolden.read(in);
            return write(spec, AttentionVerifier.toGoldenFile(g, t), out.out);
        }
    }

    @Command(name = "trm-trace", mixinStandardHelpOptions = true, synopsisHeading = "usage: ",
            header = "Converts a PyTorch TRM trace, or one supervision step end to end, to a golden file.",
            description = "A trace (trace.x_embed, trace.callNN.out for every network call) becomes every call teacher-forced, each "
                    + "reported; a step end to end (input.tokens with output.y_hat, output.q_hat, output.y, output.z) becomes one "
                    + "supervision step from the initial carry. The weights are the file's state_dict tensors, or --weights'.")
    static final class Trm implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "TRACE.safetensors", description = "the trace or the step, saved from PyTorch")
        Path in;

        @Option(names = "--descriptor", paramLabel = "JSON", description = "the model's descriptor (default: the seed model, Sudoku, hidden 512)")
        String descriptor;

        @Option(names = "--weights", paramLabel = "FILE", description = "the model's weights, when the trace does not hold them (safetensors)")
        Path weights;

        @Option(names = "--part", paramLabel = "calls|step|all", defaultValue = "all", description = "what to convert: the teacher-forced calls, "
            + "the step end to end, or all the file holds (default: ${DEFAULT-VALUE}; a model with random weights is chaotic end to end: its "
            + "calls reproduce, its step does not)")
        TrmTrace.Part part;

        @Option(names = "--abs", paramLabel = "A", defaultValue = "2e-3", description = "absolute tolerance of the teacher-forced calls "
            + "(default: ${DEFAULT-VALUE}; a step end to end has verify's default)")
        double abs;

        @picocli.CommandLine.Mixin
        Out out;

        @Override
        public Integer call() {
            tolerance(spec, "--abs", abs);
            TrmSpec s;
            try {
                s = descriptor == null ? null : TrmSpec.fromJson(Json.parseObject(descriptor));
            } catch (UnrollException e) {
                throw new ParameterException(spec.commandLine(), "--descriptor " + abbreviated(descriptor) + ": " + e.getMessage());
            }
            try (SafetensorsFile f = SafetensorsFile.open(in); SafetensorsFile w = weights == null ? null : SafetensorsFile.open(weights)) {
                return write(spec, TrmTrace.convert(f, w, s == null ? TrmSpec.builder().build() : s, abs, part), out.out);
            }
        }
    }

    @Command(name = "llama2c", mixinStandardHelpOptions = true, synopsisHeading = "usage: ",
            header = "Converts a llama2.c checkpoint with the logits it computed after each position to a golden file.",
            description = "The logits ([positions][vocab]: raw little-endian f32 as a patched run.c writes them, NumPy's .npy, or safetensors) "
                    + "are for the tokens fed (--tokens or --tokens-file); when those end in the greedy continuation of the logits, as "
                    + "run.c at temperature 0 writes them, the golden file also checks that continuation token for token.")
    static final class Llama2c implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--model", paramLabel = "FILE", required = true, description = "the checkpoint")
        Path model;

        @Option(names = "--tokens", paramLabel = "IDS", split = ",", description = "the tokens fed, comma-separated (BOS is 1)")
        int[] tokens;

        @Option(names = "--tokens-file", paramLabel = "FILE", description = "the tokens fed: text (ids separated by commas or white space), "
            + ".npy (i4 or i8) or .safetensors (one integer tensor, or one named tokens)")
        Path tokensFile;

        @Option(names = "--logits", paramLabel = "FILE", required = true, description = "the logits: raw little-endian f32, .npy (f4 or f8) or "
            + ".safetensors (one tensor, or one named logits)")
        Path logits;

        @Option(names = "--rel", paramLabel = "R", defaultValue = "1e-4", description = "relative tolerance (default: ${DEFAULT-VALUE})")
        double rel;

        @picocli.CommandLine.Mixin
        Out out;

        @Override
        public Integer call() {
            if ((tokens == null) == (tokensFile == null)) {
                throw new ParameterException(spec.commandLine(), "give the tokens fed with --tokens IDS or --tokens-file FILE (one of them)");
            }
            double r = tolerance(spec, "--rel", rel);
            int[] fed = tokens != null ? tokens : dev.unroll.cli.golden.Llama2cLogits.tokens(tokensFile);
            Llama2cLogits.Converted c = Llama2cLogits.convert(model, fed, logits, r);
            int code = write(spec, c.golden(), out.out);
            spec.commandLine().getOut().println("  it holds the " + c.note());
            return code;
        }
    }

    @Command(name = "fla", mixinStandardHelpOptions = true, synopsisHeading = "usage: ",
            header = "Converts fla calls saved from PyTorch, one or several per file, to a golden file.",
            description = "The file holds the op's arguments and results under fla's names (q, k, v, gk, h0 or initial_state, o, ht or "
                    + "final_state; mLSTM's h, c, n, m), optionally prefixed in./out. and suffixed per call (o_1, out.ht.with_h0); "
                    + "unroll verify then runs every call through dev.unroll.runtime.fla.Fla, Unroll's fla-convention op. A tensor the "
                    + "op does not take or return is an error, never an ignored input.")
    static final class FlaOp implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "FILE", description = "the saved call or calls (safetensors)")
        Path in;

        @Option(names = "--op", paramLabel = "NAME", required = true, description = "fla's name of the op, e.g. naive_recurrent_gla")
        String op;

        @Option(names = "--scale", paramLabel = "S", description = "the scale argument (default: the op's)")
        Double scale;

        @Option(names = "--output-final-state", description = "the call returned its final state (mLSTM: return_last_states)")
        boolean outputFinalState;

        @Option(names = "--normalize", description = "naive_recurrent_linear_attn's normalize")
        boolean normalize;

        @Option(names = "--num-householder", paramLabel = "N", description = "gated DeltaProduct's steps per token")
        Integer numHouseholder;

        @Option(names = "--eps", paramLabel = "E", description = "mLSTM's eps (default: mlstm_kernels' 1e-6)")
        Double eps;

        @Option(names = "--rel", paramLabel = "R", description = "scaled tolerance, max |error| / max |expected| (default, when neither "
            + "--rel nor --abs is given: verify's fla default, " + FlaVerifier.DEFAULT_REL + ")")
        Double rel;

        @Option(names = "--abs", paramLabel = "A", description = "absolute tolerance")
        Double abs;

        @picocli.CommandLine.Mixin
        Out out;

        @Override
        public Integer call() {
            Tolerance t = rel == null && abs == null ? null
                    : new Tolerance(abs == null ? 0 : tolerance(spec, "--abs", abs), rel == null ? 0 : tolerance(spec, "--rel", rel));
            if (!FlaVerifier.OPS.contains(op)) {
                throw new ParameterException(spec.commandLine(), "--op " + abbreviated(op) + ": not one of " + FlaVerifier.OPS);
            }
            FlaOps.Op o = FlaOps.of(op);
            if (scale != null && !Double.isFinite(scale)) {
                throw new ParameterException(spec.commandLine(), "--scale " + scale + ": must be a finite number");
            }
            if (eps != null && !(eps >= 0 && Double.isFinite(eps))) {
                throw new ParameterException(spec.commandLine(), "--eps " + eps + ": must be finite and >= 0");
            }
            Map<String, Object> scalars = new LinkedHashMap<>();
            if (scale != null) {
                scalars.put("scale", scale);
            }
            if (outputFinalState) {
                scalars.put(op.startsWith("mlstm") ? "return_last_states" : "output_final_state", true);
            }
            if (normalize) {
                scalars.put("normalize", true);
            }
            if (numHouseholder != null) {
                if (numHouseholder < 1) {
                    throw new ParameterException(spec.commandLine(), "--num-householder " + numHouseholder + ": must be >= 1");
                }
                scalars.put("num_householder", numHouseholder);
            }
            if (eps != null) {
                scalars.put("eps", eps);
            }
            for (String k : scalars.keySet()) {
                if (!o.scalars().contains(k)) {
                    throw new ParameterException(spec.commandLine(), "--" + k.replace("return_last_states", "output_final_state").replace('_', '-') + ": "
                            + op + " takes no " + k + " (its scalar arguments: " + (o.scalars().isEmpty() ? "none" : String.join(", ", o.scalars())) + ")");
                }
            }
            try (SafetensorsFile f = SafetensorsFile.open(in)) {
                return write(spec, FlaCall.convert(f, op, scalars, t), out.out);
            }
        }
    }
}
