package dev.unroll.cli;

import dev.unroll.annotations.WeightFormat;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.gguf.GgufBpe;
import dev.unroll.runtime.gguf.GgufFile;
import dev.unroll.runtime.gguf.GgufModel;
import dev.unroll.runtime.registry.TransformerProvider;
import dev.unroll.runtime.transformer.Generation;
import dev.unroll.runtime.transformer.GenerationResult;
import dev.unroll.runtime.transformer.HfTokenizer;
import dev.unroll.runtime.transformer.Tokenizer;
import dev.unroll.runtime.transformer.TransformerModel;
import dev.unroll.runtime.transformer.TransformerSpec;
import dev.unroll.runtime.transformer.TransformerWeights;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * {@code unroll run transformer --model FILE.gguf}: the shape from the file's metadata
 * ({@link GgufModel#spec}), its tensors widened to F32 and packed for the model that runs, the text
 * through the vocabulary the file carries: a SentencePiece one (stopping at BOS as run.c does) or a
 * byte-level BPE one ({@link GgufBpe}: Llama 3, Qwen2/2.5/3, SmolLM2; stopping at the file's end tokens,
 * as llama.cpp does); {@code --tokenizer} gives a llama2.c tokenizer instead; without either the tokens
 * print as ids. A generated model of the file's shape runs when one is on the class path, else the
 * generic engine.
 */
final class GgufRun {
    private GgufRun() {}

    /** @return whether the file starts with GGUF's magic (whatever its name; a file that cannot be read is not) */
    static boolean isGguf(java.nio.file.Path file) {
        if (!java.nio.file.Files.isRegularFile(file)) {
            return false;
        }
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(file)) {
            return java.util.Arrays.equals(in.readNBytes(4), new byte[] {'G', 'G', 'U', 'F'});
        } catch (java.io.IOException e) {
            return false;
        }
    }

    static void run(RunCommand.Transformer o, CommandSpec spec, PrintWriter out, PrintWriter err) {
        try (GgufFile f = GgufFile.open(o.model)) {
            TransformerSpec shape = GgufModel.spec(f);
            if (o.tokenizer == null && "gpt2".equals(f.metadata().get("tokenizer.ggml.model"))) {
                HfTokenizer bpe = bpe(f, o.prompt.isEmpty(), out);
                if (bpe != null || o.prompt.isEmpty()) {
                    runBpe(f, bpe, shape, o, spec, out, err);
                    return;
                }
            }
            Tokenizer tok = o.tokenizer != null ? Tokenizer.load(o.tokenizer, shape.vocab()) : own(f, o.prompt.isEmpty(), out);
            if (tok == null && !o.prompt.isEmpty()) {
                throw new ParameterException(spec.commandLine(), "--prompt needs a tokenizer: " + o.model
                        + " carries no SentencePiece vocabulary (give --tokenizer FILE)");
            }
            if (tok != null && tok.size() != shape.vocab()) {
                throw new UnrollException(o.model + ": tokenizer.ggml.tokens has " + tok.size() + " tokens and the model's vocabulary " + shape.vocab()
                        + ": they do not belong together");
            }
            int[] prompt = tok == null ? new int[] {Tokenizer.BOS} : tok.encode(o.prompt, true, false);
            Generation g = RunCommand.generation(o, spec, prompt, Set.of(Tokenizer.BOS));
            TransformerModel m = model(o, f, shape, g, spec, out);
            GenerationResult r = tok == null ? RunCommand.generateIds(m, o, g, out) : RunCommand.generateText(m, o, g, tok, out);
            RunCommand.figures(err, RunCommand.sampling(o, spec), g, r, "BOS");
        }
    }

    /** Runs with the file's byte-level BPE vocabulary (null: the tokens print as ids), generation stopping at its end tokens. */
    private static void runBpe(GgufFile f, HfTokenizer tok, TransformerSpec shape, RunCommand.Transformer o, CommandSpec spec, PrintWriter out,
            PrintWriter err) {
        if (tok != null && tok.vocabSize() > shape.vocab()) {
            throw new UnrollException(o.model + ": tokenizer.ggml.tokens has " + tok.vocabSize() + " tokens, more than the model's vocabulary ("
                    + shape.vocab() + "): they do not belong together");
        }
        int[] prompt;
        if (tok != null) {
            prompt = tok.encode(o.prompt, true);
            if (prompt.length == 0) {
                throw new ParameterException(spec.commandLine(), "--prompt is empty and " + o.model
                        + " adds no beginning-of-sequence token (tokenizer.ggml.add_bos_token): give a prompt");
            }
        } else {
            Object id = f.metadata().get("tokenizer.ggml.bos_token_id");
            if (!(id instanceof Long l) || l < 0 || l >= shape.vocab()) {
                throw new UnrollException(o.model + ": tokenizer.ggml.bos_token_id is " + (id == null ? "absent" : "not a token id")
                        + ", so there is no token to start from without the vocabulary");
            }
            prompt = new int[] {(int) (long) l};
        }
        Set<Integer> stops = tok == null ? Set.of() : GgufBpe.stopTokens(f);
        Generation g = RunCommand.generation(o, spec, prompt, stops);
        TransformerModel m = model(o, f, shape, g, spec, out);
        GenerationResult r = tok == null ? RunCommand.generateIds(m, o, g, out) : HfFolderRun.generate(m, o, g, tok, out);
        RunCommand.figures(err, RunCommand.sampling(o, spec), g, r, "an end-of-generation token");
    }

    /** The decoder that runs the file's weights: the generated model {@link #generated} picks, else the generic engine (said on {@code out}). */
    private static TransformerModel model(RunCommand.Transformer o, GgufFile f, TransformerSpec shape, Generation g, CommandSpec spec, PrintWriter out) {
        Optional<TransformerProvider> generated = generated(o, f, shape, spec, out);
        TransformerSpec runs = generated.map(p -> p.spec().withoutBlock()).orElse(shape);
        // read tensor by tensor while the model packs them: the file's weights are never in memory whole
        TransformerWeights w = TransformerWeights.onDemand(runs, GgufModel.tensors(f, runs));
        return RunCommand.decoder(generated, w, shape, g, o.model, out);
    }

    /**
     * The file's byte-level BPE vocabulary, or null (said on {@code out}) when it cannot be read and no
     * prompt needs it: then the tokens print as ids; with a prompt, the vocabulary's error is the error.
     */
    private static HfTokenizer bpe(GgufFile f, boolean idsWillDo, PrintWriter out) {
        try {
            return GgufBpe.tokenizer(f).orElseThrow();
        } catch (UnrollException e) {
            if (!idsWillDo) {
                throw e;
            }
            out.println(Wrap.lines("tokenizer: ", e.getMessage() + "; the tokens print as ids", "           "));
            return null;
        }
    }

    /**
     * The generated model that runs: of the format asked for (none is an error), else of the block
     * format most of the file's matrices are stored in, which keeps their codes as they are (none of
     * that format: F32, said on {@code out}).
     */
    private static Optional<TransformerProvider> generated(RunCommand.Transformer o, GgufFile f, TransformerSpec shape, CommandSpec spec,
            PrintWriter out) {
        if (o.format != null) {
            Optional<TransformerProvider> p = HfFolderRun.generatedFor(shape, o.format);
            if (p.isEmpty() && o.format != WeightFormat.F32) {
                throw new ParameterException(spec.commandLine(), "--format " + o.format + ": no generated model of " + shape.describe()
                        + " stores its matrices as " + o.format + " (annotate one with weights = WeightFormat." + o.format + ")");
            }
            return p;
        }
        WeightFormat blocks = GgufModel.blockFormat(f, shape);
        if (blocks != WeightFormat.F32) {
            Optional<TransformerProvider> p = HfFolderRun.generatedFor(shape, blocks);
            if (p.isPresent()) {
                out.println(Wrap.lines("format: ", blocks + ", the file's blocks as they are (--format F32 widens them)", "        "));
                return p;
            }
            out.println(Wrap.lines("format: ", "F32: the file's matrices are mostly " + blocks + " blocks, but no generated model of this shape stores "
                    + blocks + " (annotate one with weights = WeightFormat." + blocks + " to run them as they are)", "        "));
        }
        return HfFolderRun.generatedFor(shape, WeightFormat.F32);
    }

    /**
     * The file's own vocabulary, or null (said on {@code out}) when it has none Unroll reads: without a
     * prompt the tokens print as ids; with one, a vocabulary that is not in llama2.c's layout is the error.
     */
    private static Tokenizer own(GgufFile f, boolean idsWillDo, PrintWriter out) {
        try {
            Tokenizer t = GgufModel.tokenizer(f).orElse(null);
            if (t == null) {
                out.println("tokenizer: none in the file Unroll reads (SentencePiece's and byte-level BPE's only), so the tokens print as ids");
            }
            return t;
        } catch (UnrollException e) {
            if (!idsWillDo) {
                throw e;
            }
            out.println(Wrap.lines("tokenizer: ", e.getMessage() + "; the tokens print as ids", "           "));
            return null;
        }
    }
}
