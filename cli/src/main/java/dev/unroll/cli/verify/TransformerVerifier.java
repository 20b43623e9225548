package dev.unroll.cli.verify;

import dev.unroll.runtime.Limits;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.registry.KernelRegistry;
import dev.unroll.runtime.registry.TransformerProvider;
import dev.unroll.runtime.safetensors.SafetensorsFile;
import dev.unroll.runtime.transformer.CachedGenerator;
import dev.unroll.runtime.transformer.DecodeRunner;
import dev.unroll.runtime.transformer.Generation;
import dev.unroll.runtime.transformer.GenerationResult;
import dev.unroll.runtime.transformer.GenericTransformer;
import dev.unroll.runtime.transformer.RecurrentPassSpec;
import dev.unroll.runtime.transformer.TransformerModel;
import dev.unroll.runtime.transformer.TransformerSpec;
import dev.unroll.runtime.transformer.TransformerWeights;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies transformer golden files with the generated model for the descriptor (or the generic
 * engine); a descriptor with {@code loopStart}, {@code loopEnd} and {@code depth} runs that
 * recurrent pass:
 * <ul>
 *   <li>{@code input.tokens [T]}: teacher-forced, the logits after each position compared with
 *       {@code expected.logits [T][vocab]};
 *   <li>{@code input.prompt [P]}: greedy generation of as many tokens as {@code expected.tokens}
 *       holds (stop tokens ignored), compared exactly.
 * </ul>
 * Default tolerance for logits: scaled error 1e-4 (f32).
 */
public final class TransformerVerifier implements Verifier {
    /** Family name in golden metadata. */
    public static final String FAMILY = "transformer";

    private final boolean generic;

    /** @param generic force the generic engine */
    public TransformerVerifier(boolean generic) {
        this.generic = generic;
    }

    @Override
    public String family() {
        return FAMILY;
    }

    @Override
    public VerifyReport verify(GoldenFile golden, Progress progress) {
        dev.unroll.runtime.internal.Checks.notNull("TransformerVerifier.verify: golden", golden);
        dev.unroll.runtime.internal.Checks.notNull("TransformerVerifier.verify: progress", progress);
        golden.readsOnly(java.util.List.of("input.tokens", "expected.logits", "expected.logits.index", "input.prompt", "expected.tokens"));
        TransformerSpec spec = TransformerSpec.fromJson(golden.specJson());
        dev.unroll.annotations.WeightFormat format = golden.weightFormat();
        checkInputs(golden.file(), spec);
        TransformerWeights w = TransformerWeights.load(spec.withoutBlock(), golden.weights());
        Optional<TransformerProvider> p = generic ? Optional.empty() : KernelRegistry.transformer(spec, format);
        if (p.isEmpty() && format != dev.unroll.annotations.WeightFormat.F32) {
            throw new UnrollException(golden.file().source() + ": weights " + format + ": no generated model of " + spec.describe() + " stores its "
                    + "matrices as " + format + " on the class path (annotate one with weights = WeightFormat." + format + ")");
        }
        TransformerModel model = p.isPresent() ? p.get().create(w) : new GenericTransformer(w);
        RecurrentPassSpec rp = spec.block() == null ? null : RecurrentPassSpec.of(spec.block());
        String subject = model.implementation() + (p.isEmpty() && !generic ? " (no generated model for this descriptor on the class path)" : "")
                + golden.describe(spec.describe());
        SafetensorsFile f = golden.file();
        List<Comparison> out = new ArrayList<>();
        if (f.contains("input.tokens") && f.contains("expected.logits")) {
            int[] tokens = f.ints("input.tokens");
            int[] index = Rows.index(golden, "expected.logits").orElse(null);
            if (index != null) {
                Rows.check(f.source(), "expected.logits", index, tokens.length); // before the model runs and its logits are kept
            }
            float[] logits = new float[Limits.arrayLength(f.source() + ": expected.logits", tokens.length, spec.vocab())];
            float[] row = new float[spec.vocab()];
            try (DecodeRunner session = new CachedGenerator(model).open(rp, null, tokens.length, tokens.length)) {
                for (int t = 0; t < tokens.length; t++) {
                    progress.update("verify " + f.source() + ": teacher-forced logits", t, tokens.length);
                    session.next(tokens[t], t, row);
                    System.arraycopy(row, 0, logits, t * spec.vocab(), row.length);
                }
            }
            Tolerance t = golden.tolerance("expected.logits");
            double[] actual = widen(logits);
            if (index != null) {
                actual = Rows.select(f.source(), "expected.logits", actual, spec.vocab(), index);
            }
            out.add(Comparison.of("expected.logits", f.doubles("expected.logits"), actual, t == null ? new Tolerance(0, 1e-4) : t));
        }
        if (f.contains("input.prompt") && f.contains("expected.tokens")) {
            int[] prompt = f.ints("input.prompt");
            int[] expected = f.ints("expected.tokens");
            progress.update("verify " + f.source() + ": greedy generation", 0, 1);
            Generation g = Generation.greedy(prompt, expected.length).withStopTokens(Set.of()).withRecurrence(rp);
            GenerationResult r = new CachedGenerator(model).generate(g);
            int[] generated = Arrays.copyOfRange(r.tokens(), prompt.length, r.tokens().length);
            out.add(Comparison.of("expected.tokens", toDoubles(expected), toDoubles(generated), new Tolerance(0, 0)));
        }
        if (out.isEmpty()) {
            throw new UnrollException(f.source() + ": a transformer golden file needs input.tokens with expected.logits, or input.prompt with expected.tokens");
        }
        return new VerifyReport(f.source(), subject, out);
    }

    /** The inputs' sizes, checked before anything loads or runs. */
    private static void checkInputs(SafetensorsFile f, TransformerSpec spec) {
        if (f.contains("input.tokens")) {
            int n = f.ints("input.tokens").length;
            if (n == 0) {
                throw new UnrollException(f.source() + ": input.tokens is empty: nothing to verify");
            }
            if (n > spec.maxSeq()) {
                throw new UnrollException(f.source() + ": input.tokens holds " + n + " tokens: a generation uses 1 to maxSeq (" + spec.maxSeq()
                        + ") positions");
            }
        }
    }

    private static double[] widen(float[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }

    private static double[] toDoubles(int[] x) {
        double[] d = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            d[i] = x[i];
        }
        return d;
    }
}
