package dev.unroll.runtime.trm;

import dev.unroll.runtime.TestData;
import dev.unroll.runtime.safetensors.SafetensorsFile;
import dev.unroll.runtime.weights.TensorSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * A checkpoint saved under the official TinyRecursiveModels names and its reference outputs
 * ({@code data/models/trm-official}, made by {@code bench/trm/official-reference.py}; README there):
 * the tensors, the {@code arch.*} settings it was drawn with, and per supervision step the float64
 * reference logits and halt/continue Q logits.
 */
public final class OfficialTrmFixture {
    /** The attention + RoPE checkpoint (names under {@code _orig_mod.model.inner.}, bf16 parameters), puzzle identifier 2. */
    public static final OfficialTrmFixture ATTENTION = new OfficialTrmFixture("attention", 2, Map.of("seq_len", "12", "H_cycles", "2", "L_cycles", "2",
            "num_heads", "4", "halt_max_steps", "4"));
    /** Names under {@code model.inner.}, f32, {@code puzzle_emb_len = 0}: a 2-position prefix, the 40-value puzzle embedding zero-padded. */
    public static final OfficialTrmFixture PADDED = new OfficialTrmFixture("attention-padded", 0, Map.of("seq_len", "9", "puzzle_emb_len", "0",
            "H_cycles", "2", "L_cycles", "3", "num_heads", "2", "halt_max_steps", "3"));

    /** Supervision steps the reference holds. */
    public static final int STEPS = 3;

    /** The fixture's name. */
    public final String name;
    /** The puzzle identifier the reference ran. */
    public final int puzzleIdentifier;
    /** The {@code arch.*} settings (beyond trm.yaml's) the checkpoint needs. */
    public final Map<String, String> arch;

    private OfficialTrmFixture(String name, int puzzleIdentifier, Map<String, String> arch) {
        this.name = name;
        this.puzzleIdentifier = puzzleIdentifier;
        this.arch = arch;
    }

    /** @return the checkpoint's tensors, in memory (the file closed) */
    public TensorSource checkpoint() {
        return edited(Function.identity());
    }

    /**
     * @param edit changes to the checkpoint's tensors (name to tensor, in file order)
     * @return the edited checkpoint, in memory
     */
    public TensorSource edited(Function<Map<String, TensorSource.Array>, Map<String, TensorSource.Array>> edit) {
        Map<String, TensorSource.Array> m = new LinkedHashMap<>();
        try (SafetensorsFile f = SafetensorsFile.open(TestData.fixture("models/trm-official/" + name + ".safetensors"))) {
            for (String n : f.names()) {
                m.put(n, new TensorSource.Array(f.info(n).shape(), f.doubles(n)));
            }
        }
        return TensorSource.of(name + ".safetensors", edit.apply(m));
    }

    /** @return the descriptor {@link OfficialTrmArch} makes of the checkpoint and {@link #arch} */
    public TrmSpec spec() {
        return OfficialTrmArch.spec(checkpoint(), arch);
    }

    /** @return the weights under the project's names */
    public TrmWeights weights() {
        return OfficialTrmCheckpoint.load(spec(), checkpoint(), puzzleIdentifier);
    }

    /** The reference outputs. */
    public record Expected(int[] tokens, float[][] logits, float[][] q, float[][] bf16Logits) {}

    /** @return the tokens of the 2 puzzles and the reference outputs of steps 1..{@link #STEPS} */
    public Expected expected() {
        try (SafetensorsFile f = SafetensorsFile.open(TestData.fixture("models/trm-official/" + name + "-expected.safetensors"))) {
            float[][] logits = new float[STEPS][];
            float[][] q = new float[STEPS][];
            float[][] bf16 = new float[STEPS][];
            for (int s = 0; s < STEPS; s++) {
                logits[s] = f.floats("step" + (s + 1) + ".logits");
                q[s] = f.floats("step" + (s + 1) + ".q");
                bf16[s] = f.floats("bf16.step" + (s + 1) + ".logits");
            }
            return new Expected(f.ints("tokens"), logits, q, bf16);
        }
    }

    /**
     * Runs the reference's supervision steps from the initial carry.
     *
     * @param model a model holding this checkpoint's weights
     * @param tokens {@code [2][context]}
     * @return per step, the logits and the halting outputs
     */
    public static TrmStep[] run(TrmModel model, int[] tokens) {
        TrmCarry carry = model.initialCarry(2);
        TrmStep[] out = new TrmStep[STEPS];
        for (int s = 0; s < STEPS; s++) {
            out[s] = model.step(tokens, carry);
        }
        return out;
    }

    /** The {@code --arch} settings of {@link #writeSudoku}'s checkpoint (beyond trm.yaml's and seq_len 81). */
    public static final Map<String, String> SUDOKU_ARCH = Map.of("num_heads", "2", "L_cycles", "2", "H_cycles", "1", "halt_max_steps", "2");

    /**
     * Writes a small Sudoku-shaped checkpoint under the official names (hidden 32, seq_len 81, vocab 11,
     * one layer, 16 prefix positions, names under {@code _orig_mod.model.inner.}), Gaussian weights with
     * LeCun deviations from a fixed seed: for the command line, which runs Sudoku models only.
     *
     * @param file where
     */
    public static void writeSudoku(java.nio.file.Path file) {
        write(file, 32, 11, dev.unroll.runtime.safetensors.DType.F32);
    }

    /** The {@code arch} settings of {@link #main}'s fuzzing seed. */
    public static final Map<String, String> SEED_ARCH = Map.of("seq_len", "4", "num_heads", "2", "L_cycles", "1", "H_cycles", "1", "halt_max_steps", "1",
            "puzzle_emb_len", "1");

    /**
     * Writes the seed of the {@code OfficialTrmFuzzTest} corpus: hidden 8, vocab 3, bf16 (with
     * {@link #SEED_ARCH}).
     *
     * @param args the file to write
     */
    public static void main(String[] args) {
        write(java.nio.file.Path.of(args[0]), 8, 3, dev.unroll.runtime.safetensors.DType.BF16);
    }

    private static void write(java.nio.file.Path file, int h, int vocab, dev.unroll.runtime.safetensors.DType dtype) {
        java.util.Random r = new java.util.Random(5);
        int inter = TrmSpec.intermediate(4.0, h);
        Map<String, long[]> shapes = new LinkedHashMap<>();
        shapes.put("embed_tokens.embedding_weight", new long[] {vocab, h});
        shapes.put("lm_head.weight", new long[] {vocab, h});
        shapes.put("q_head.weight", new long[] {2, h});
        shapes.put("q_head.bias", new long[] {2});
        shapes.put("puzzle_emb.weights", new long[] {1, h});
        shapes.put("L_level.layers.0.self_attn.qkv_proj.weight", new long[] {3 * h, h});
        shapes.put("L_level.layers.0.self_attn.o_proj.weight", new long[] {h, h});
        shapes.put("L_level.layers.0.mlp.gate_up_proj.weight", new long[] {2 * inter, h});
        shapes.put("L_level.layers.0.mlp.down_proj.weight", new long[] {h, inter});
        shapes.put("H_init", new long[] {h});
        shapes.put("L_init", new long[] {h});
        dev.unroll.runtime.safetensors.SafetensorsWriter w = new dev.unroll.runtime.safetensors.SafetensorsWriter();
        for (Map.Entry<String, long[]> e : shapes.entrySet()) {
            long[] s = e.getValue();
            float[] a = new float[(int) java.util.Arrays.stream(s).reduce(1, (x, y) -> x * y)];
            double std = s.length == 2 ? 1 / Math.sqrt(s[1]) : 1;
            for (int i = 0; i < a.length; i++) {
                a[i] = (float) (r.nextGaussian() * std);
            }
            w.add("_orig_mod.model.inner." + e.getKey(), e.getKey().endsWith("_init") ? dev.unroll.runtime.safetensors.DType.BF16 : dtype, s, a);
        }
        w.write(file);
    }

    @Override
    public String toString() {
        return name;
    }
}
