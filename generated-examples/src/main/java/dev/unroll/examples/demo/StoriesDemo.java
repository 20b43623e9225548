package dev.unroll.examples.demo;

import dev.unroll.examples.transformer.Stories260KModel;
import dev.unroll.runtime.backend.Backend;
import dev.unroll.runtime.backend.DeviceGlues;
import dev.unroll.runtime.codegen.GeneratedTransformer;
import dev.unroll.runtime.internal.data.DataFiles;
import dev.unroll.runtime.transformer.CachedGenerator;
import dev.unroll.runtime.transformer.DecoderGlue;
import dev.unroll.runtime.transformer.Generation;
import dev.unroll.runtime.transformer.GenerationResult;
import dev.unroll.runtime.transformer.GenericTransformer;
import dev.unroll.runtime.transformer.RecurrentPassSpec;
import dev.unroll.runtime.transformer.Tokenizer;
import dev.unroll.runtime.transformer.TransformerModel;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;

/** The transformer part of the demo: stories260K with and without a recurrent pass. */
final class StoriesDemo {
    private final PrintWriter out;

    StoriesDemo(PrintWriter out) {
        this.out = out;
    }

    boolean run() {
        out.println();
        out.println("== Transformer: stories260K (llama2.c), generated Stories260KModel ==");
        java.util.Optional<Path> found = DataFiles.find("models/stories260K/stories260K.bin");
        if (found.isEmpty()) {
            out.println("(" + DataFiles.missing("models/stories260K/stories260K.bin") + ": skipped)");
            return true;
        }
        Path dir = found.get().getParent();
        TransformerModel m = Stories260KModel.loadLlama2c(dir.resolve("stories260K.bin"));
        Tokenizer tok = Tokenizer.load(dir.resolve("tok512.bin"), 512);
        out.println("runs: " + m.implementation());
        // the timed runs stay on the JVM; under TornadoVM a device run follows
        CachedGenerator gen = new CachedGenerator(m, Backend.JVM);
        out.println("backend: " + Backend.JVM.describe());
        GenerationResult warm = null;
        for (int i = 0; i < 4; i++) {
            warm = gen.generate(Generation.greedy(new int[] {Tokenizer.BOS}, 256));
            gen.generate(Generation.greedy(new int[] {Tokenizer.BOS}, 256).withRecurrence(RecurrentPassSpec.noFeedback(1, 3)));
        }
        GenerationResult plain = gen.generate(Generation.greedy(new int[] {Tokenizer.BOS}, 256));
        GenerationResult generic = new CachedGenerator(new GenericTransformer(((GeneratedTransformer) m).weights()))
                .generate(Generation.greedy(new int[] {Tokenizer.BOS}, 256));
        boolean ok = java.util.Arrays.equals(plain.tokens(), warm.tokens()) && java.util.Arrays.equals(plain.tokens(), generic.tokens());
        out.printf(Locale.ROOT, "checked: 256 greedy tokens identical to the generic engine's %s%n", ok ? "PASS" : "FAIL");
        out.printf(Locale.ROOT, "greedy, 256 tokens, %.0f tokens/s (after 4 warm-up runs):%n%s%n", plain.tokensPerSecond(), indent(tok.decode(plain.tokens())));
        RecurrentPassSpec rp = RecurrentPassSpec.noFeedback(1, 3);
        GenerationResult looped = gen.generate(Generation.greedy(new int[] {Tokenizer.BOS}, 256).withRecurrence(rp));
        out.printf(Locale.ROOT, "%nwith a recurrent pass (layers 1..3 twice, KV-cached, %s), %.0f tokens/s (after 4 warm-up runs):%n%s%n", looped.mode(),
                looped.tokensPerSecond(), indent(tok.decode(looped.tokens())));
        if (Backend.tornadoRuntimePresent()) {
            ok &= onTheDevice(m, plain);
        }
        return ok;
    }

    /** The same greedy generation through the TornadoVM glue: the first 64 tokens must be the JVM's. */
    private boolean onTheDevice(TransformerModel m, GenerationResult jvm) {
        if (DeviceGlues.find(DecoderGlue.class, m.getClass()) == null) {
            out.println("(no TornadoVM glue: build the examples with -Ptornadovm to run them on the device)");
            return true;
        }
        GenerationResult dev = new CachedGenerator(m, Backend.TORNADOVM).generate(Generation.greedy(new int[] {Tokenizer.BOS}, 64));
        boolean ok = java.util.Arrays.equals(dev.tokens(), java.util.Arrays.copyOf(jvm.tokens(), dev.tokens().length));
        out.printf(Locale.ROOT, "backend: %s (%s): 64 greedy tokens %s the JVM's %s, %.0f tokens/s (cold: includes kernel compilation)%n",
                Backend.TORNADOVM.describe(), dev.mode(), ok ? "identical to" : "DIFFERENT from", ok ? "PASS" : "FAIL", dev.tokensPerSecond());
        return ok;
    }

    private static String indent(String s) {
        return "  | " + s.replace("\n", "\n  | ");
    }
}
