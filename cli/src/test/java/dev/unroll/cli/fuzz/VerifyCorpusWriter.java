package dev.unroll.cli.fuzz;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.annotations.Precision;
import dev.unroll.cli.verify.GoldenFile;
import dev.unroll.runtime.attention.AttentionSpec;
import dev.unroll.runtime.attention.AttentionState;
import dev.unroll.runtime.attention.AttentionWeights;
import dev.unroll.runtime.attention.GenericLinearAttention;
import dev.unroll.runtime.internal.json.Json;
import dev.unroll.runtime.safetensors.DType;
import dev.unroll.runtime.safetensors.SafetensorsWriter;
import dev.unroll.runtime.transformer.CachedGenerator;
import dev.unroll.runtime.transformer.Generation;
import dev.unroll.runtime.transformer.GenericTransformer;
import dev.unroll.runtime.transformer.TransformerSpec;
import dev.unroll.runtime.transformer.TransformerWeights;
import dev.unroll.runtime.trm.GenericTrm;
import dev.unroll.runtime.trm.TrmSpec;
import dev.unroll.runtime.trm.TrmWeights;
import dev.unroll.runtime.weights.TensorSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Writes the {@code verify} seed corpus ({@code VerifyFuzzTestInputs/verify} in the test resources): one small
 * golden file per family whose expectations the generic engines produce, so each seed passes
 * before it is mutated. Deterministic; run from the repository root after a format change:
 * {@code mvn -q -pl cli test-compile exec:java -Dexec.classpathScope=test -Dexec.mainClass=dev.unroll.cli.fuzz.VerifyCorpusWriter}.
 */
public final class VerifyCorpusWriter {
    private VerifyCorpusWriter() {}

    /**
     * @param args optional output folder
     * @throws IOException on write failure
     */
    public static void main(String[] args) throws IOException {
        Path dir = Files.createDirectories(Path.of(args.length > 0 ? args[0] : "cli/src/test/resources/dev/unroll/cli/fuzz/VerifyFuzzTestInputs/verify"));
        attention(dir.resolve("attention-gla.safetensors"));
        transformer(dir.resolve("transformer-greedy.safetensors"));
        trm(dir.resolve("trm-network.safetensors"));
        Files.copy(Path.of("runtime/src/test/resources/dev/unroll/runtime/fuzz/LoaderFuzzTestInputs/referenceJson/gla-first-token.json"),
                dir.resolve("reference-gla-first-token.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    static double wave(long i) {
        return 0.1 * Math.sin(0.37 * i + 0.2);
    }

    private static void attention(Path out) {
        AttentionSpec spec = AttentionSpec.builder(AttentionMode.GLA, 8).heads(2).precision(Precision.F64).build();
        AttentionWeights w = AttentionWeights.seeded(spec);
        GenericLinearAttention layer = new GenericLinearAttention(w);
        int tokens = 6;
        double[] xs = new double[tokens * 8];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = 10 * wave(i);
        }
        double[] ys = new double[xs.length];
        AttentionState s = layer.newState();
        layer.forward(s, xs, tokens, ys);
        SafetensorsWriter g = golden("linear-attention", Json.write(spec.toJson())).metadata(GoldenFile.TOLERANCE, "{\"default\":{\"rel\":1e-9}}");
        w.writeTo(g, DType.F64, "");
        g.add("input.x", DType.F64, new long[] {tokens, 8}, xs).add("expected.y", DType.F64, new long[] {tokens, 8}, ys)
                .add("expected.final_state", DType.F64, new long[] {s.values().length}, s.values()).write(out);
    }

    private static void transformer(Path out) {
        TransformerSpec spec = TransformerSpec.builder(2, 8, 2, 16, 12, 16).build();
        Map<String, TensorSource.Array> tensors = new LinkedHashMap<>();
        long k = 0;
        for (Map.Entry<String, long[]> e : TransformerWeights.shapes(spec).entrySet()) {
            long n = 1;
            for (long d : e.getValue()) {
                n *= d;
            }
            double[] data = new double[(int) n];
            for (int i = 0; i < n; i++) {
                data[i] = e.getKey().endsWith("norm.weight") || e.getKey().endsWith("layernorm.weight") ? 1 : 3 * wave(k++);
            }
            tensors.put(e.getKey(), new TensorSource.Array(e.getValue(), data));
        }
        TransformerWeights w = TransformerWeights.load(spec, TensorSource.of("seed", tensors));
        int[] prompt = {1, 5};
        int[] all = new CachedGenerator(new GenericTransformer(w)).generate(Generation.greedy(prompt, 6).withStopTokens(Set.of())).tokens();
        int[] tokens = java.util.Arrays.copyOfRange(all, prompt.length, all.length);
        SafetensorsWriter g = golden("transformer", Json.write(spec.toJson()));
        for (Map.Entry<String, float[]> e : w.tensors().entrySet()) {
            g.add(e.getKey(), DType.F32, tensors.get(e.getKey()).shape(), e.getValue());
        }
        g.add("input.prompt", DType.I32, new long[] {prompt.length}, prompt).add("expected.tokens", DType.I32, new long[] {tokens.length}, tokens)
                .write(out);
    }

    private static void trm(Path out) {
        TrmSpec spec = TrmSpec.builder().set(TrmSpec.HIDDEN, 16).set(TrmSpec.CONTEXT, 4).set(TrmSpec.VOCAB, 5).set(TrmSpec.LATENT_STEPS, 2)
                .set(TrmSpec.CYCLES, 2).set(TrmSpec.HEADS, 2).build();
        TrmWeights w = TrmWeights.seeded(spec);
        int n = spec.sequence() * spec.hidden();
        float[] in = new float[n];
        for (int i = 0; i < n; i++) {
            in[i] = (float) (10 * wave(i));
        }
        float[] o = new float[n];
        new GenericTrm(w).network(in, 1, o);
        SafetensorsWriter g = golden("trm", Json.write(spec.toJson()));
        w.writeTo(g, "");
        g.add("input.network", DType.F32, new long[] {1, spec.sequence(), spec.hidden()}, in)
                .add("expected.network", DType.F32, new long[] {1, spec.sequence(), spec.hidden()}, o).write(out);
    }

    private static SafetensorsWriter golden(String family, String descriptor) {
        return new SafetensorsWriter().metadata(GoldenFile.FAMILY, family).metadata(GoldenFile.DESCRIPTOR, descriptor)
                .metadata(GoldenFile.SOURCE, "Unroll's generic engines (fuzz seed)");
    }
}
