package dev.unroll.cli;

import dev.unroll.annotations.WeightFormat;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.registry.KernelProvider;
import dev.unroll.runtime.registry.KernelRegistry;
import dev.unroll.runtime.registry.TransformerProvider;
import dev.unroll.runtime.safetensors.SafetensorsShards;
import dev.unroll.runtime.transformer.CachedGenerator;
import dev.unroll.runtime.transformer.Generation;
import dev.unroll.runtime.transformer.GenerationResult;
import dev.unroll.runtime.transformer.HfConfig;
import dev.unroll.runtime.transformer.HfTokenizer;
import dev.unroll.runtime.transformer.TransformerModel;
import dev.unroll.runtime.transformer.TransformerSpec;
import dev.unroll.runtime.transformer.TransformerWeights;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/**
 * {@code unroll run transformer --model DIR} on a Hugging Face model folder: the shape from its
 * {@code config.json} ({@link HfConfig}), the weights from {@code model.safetensors} or the shards of
 * {@code model.safetensors.index.json} ({@link SafetensorsShards}) under Hugging Face's names, the text through {@code tokenizer.json} ({@link HfTokenizer}), generation stopping at
 * the tokenizer's end-of-sequence token. A generated model of that shape runs when one is on the class
 * path (its {@code maxSeq} may be smaller than the file's context: it bounds the generation), else the
 * generic engine.
 */
final class HfFolderRun {
    private HfFolderRun() {}

    static void run(RunCommand.Transformer o, CommandSpec spec, PrintWriter out, PrintWriter err) {
        Path dir = o.model;
        Path config = dir.resolve("config.json");
        if (!Files.isRegularFile(config)) {
            throw new UnrollException(dir + " has no config.json: a Hugging Face model folder holds config.json, model.safetensors (or the shards"
                    + " model.safetensors.index.json names) and tokenizer.json (--model also takes a llama2.c checkpoint file)");
        }
        TransformerSpec shape = HfConfig.read(config);
        Path tokenizerFile = o.tokenizer != null ? o.tokenizer : dir.resolve("tokenizer.json");
        HfTokenizer tok = o.tokenizer != null || Files.exists(tokenizerFile) ? HfTokenizer.load(tokenizerFile) : null;
        if (tok == null && !o.prompt.isEmpty()) {
            throw new ParameterException(spec.commandLine(), "--prompt needs a tokenizer: no tokenizer.json in " + dir + " (give --tokenizer FILE)");
        }
        if (tok != null && tok.vocabSize() > shape.vocab()) {
            throw new UnrollException(tokenizerFile + " has " + tok.vocabSize() + " tokens, more than the model's vocabulary (" + shape.vocab()
                    + ", vocab_size in " + config + "): they do not belong together");
        }
        int[] prompt = tok == null ? new int[] {1} : tok.encode(o.prompt, true);
        if (prompt.length == 0) {
            throw new ParameterException(spec.commandLine(), "--prompt is empty and " + tokenizerFile + " adds no beginning-of-sequence token: "
                    + "give a prompt");
        }
        OptionalInt eos = tok == null ? OptionalInt.empty() : tok.eos();
        Generation g = RunCommand.generation(o, spec, prompt, eos.isEmpty() ? Set.of() : Set.of(eos.getAsInt()));
        Optional<TransformerProvider> generated = generatedFor(shape, o.format());
        if (generated.isEmpty() && o.format() != WeightFormat.F32) {
            throw new ParameterException(spec.commandLine(), "--format " + o.format() + ": no generated model of " + shape.describe()
                    + " stores its matrices as " + o.format() + " (annotate one with weights = WeightFormat." + o.format() + ")");
        }
        // the tensors do not depend on maxSeq: read them as the descriptor of the model that runs
        TransformerSpec runs = generated.map(p -> p.spec().withoutBlock()).orElse(shape);
        TransformerWeights w;
        try (SafetensorsShards f = SafetensorsShards.openFolder(dir)) {
            w = TransformerWeights.load(runs, f.tensors());
        }
        TransformerModel m = RunCommand.decoder(generated, w, shape, g, dir, out);
        GenerationResult r = generate(m, o, g, tok, out);
        RunCommand.figures(err, RunCommand.sampling(o, spec), g, r, "the end-of-sequence token");
    }

    /**
     * A generated model of the shape: the same descriptor, or one with a smaller {@code maxSeq} (a
     * descriptor made from a config.json usually caps the context; the generation must fit it), never
     * a larger one (positions past the file's context are not the model's).
     */
    static Optional<TransformerProvider> generatedFor(TransformerSpec shape, WeightFormat format) {
        Optional<TransformerProvider> exact = KernelRegistry.transformer(shape, format);
        if (exact.isPresent()) {
            return exact;
        }
        for (KernelProvider<?, ?, ?> p : KernelRegistry.all()) {
            if (p instanceof TransformerProvider t && t.weights() == format && t.spec().block() == null && t.spec().maxSeq() <= shape.maxSeq()
                    && t.spec().with(TransformerSpec.MAX_SEQ, shape.maxSeq()).equals(shape)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** Generates, printing the text as it grows (a character still incomplete is held back), or the ids without a tokenizer. */
    static GenerationResult generate(TransformerModel m, RunCommand.Transformer o, Generation g, HfTokenizer tok, PrintWriter out) {
        if (tok == null) {
            return RunCommand.generateIds(m, o, g, out);
        }
        HfTextStream text = new HfTextStream(tok, out);
        for (int t : g.prompt()) {
            text.add(t);
        }
        GenerationResult r = new CachedGenerator(m, o.where.backend).generate(g, text::add);
        text.end(r.tokens());
        return r;
    }
}
