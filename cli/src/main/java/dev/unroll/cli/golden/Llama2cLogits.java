package dev.unroll.cli.golden;

import dev.unroll.cli.verify.GoldenFile;
import dev.unroll.cli.verify.TransformerVerifier;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.internal.Checks;
import dev.unroll.runtime.internal.json.Json;
import dev.unroll.runtime.safetensors.DType;
import dev.unroll.runtime.safetensors.SafetensorsWriter;
import dev.unroll.runtime.transformer.Llama2c;
import dev.unroll.runtime.transformer.TransformerWeights;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * A llama2.c checkpoint, the tokens it was fed and the logits it computed after each position, as
 * one transformer golden file (weights under their Hugging Face names, the descriptor from the
 * checkpoint's header): the teacher-forced logits ({@code input.tokens}, {@code expected.logits}) and,
 * when the tokens after a prompt are the greedy continuation of those logits (as run.c at temperature 0
 * writes them), that continuation ({@code input.prompt}, {@code expected.tokens}: the fed tokens after
 * the prompt and the argmax of the last position), which verify compares exactly. The logits may be
 * raw little-endian f32 ({@code fwrite(logits, sizeof(float), vocab, f)} after each forward), NumPy's
 * {@code .npy} or safetensors, {@code [T][vocab]} or flat.
 */
public final class Llama2cLogits {
    /**
     * A converted file and what it holds.
     *
     * @param golden the golden file, to write
     * @param note one line: what was written (and why no tokens, when none)
     */
    public record Converted(SafetensorsWriter golden, String note) {}

    /** How far the greedy token's logit must lead the next one: closer, a last-bit difference could pick the other. */
    static final double MARGIN = 1e-4;

    private Llama2cLogits() {}

    /**
     * @param model the checkpoint
     * @param tokens the tokens fed, one per position
     * @param logits the logits file (raw f32, .npy or .safetensors)
     * @param rel relative tolerance of the logits (scaled by the largest)
     * @return the golden file and a note
     */
    public static Converted convert(Path model, int[] tokens, Path logits, double rel) {
        Checks.notNull("Llama2cLogits.convert: model", model);
        Checks.notNull("Llama2cLogits.convert: tokens", tokens);
        Checks.notNull("Llama2cLogits.convert: logits", logits);
        Llama2c.Checkpoint c = Llama2c.load(model);
        int vocab = c.spec().vocab();
        if (tokens.length == 0) {
            throw new UnrollException("no tokens: the logits are for the tokens fed, one row per position");
        }
        for (int i = 0; i < tokens.length; i++) {
            if (tokens[i] < 0 || tokens[i] >= vocab) {
                throw new UnrollException("token " + i + " (" + tokens[i] + ") is outside the vocabulary [0, " + vocab + ")");
            }
        }
        Arrays2.Array a = Arrays2.floats(logits, "logits");
        float[] l = a.floats();
        long need = (long) tokens.length * vocab;
        long[] shape = a.shape();
        if (l.length != need || shape.length > 1 && shape[shape.length - 1] != vocab) {
            throw new UnrollException(logits + ": " + l.length + " logits" + (shape.length > 1 ? " of shape " + Arrays.toString(shape) : "") + "; "
                    + tokens.length + " positions of " + vocab + " logits are " + need + " ([positions][vocab])");
        }
        SafetensorsWriter g = new SafetensorsWriter().metadata(GoldenFile.FORMAT, "1").metadata(GoldenFile.FAMILY, TransformerVerifier.FAMILY)
                .metadata(GoldenFile.DESCRIPTOR, Json.write(c.spec().toJson()))
                .metadata(GoldenFile.TOLERANCE, Json.write(Map.of("expected.logits", Map.of("abs", 0.0, "rel", rel))))
                .metadata(GoldenFile.SOURCE, model + " with per-position logits " + logits);
        Map<String, long[]> shapes = TransformerWeights.shapes(c.spec());
        for (Map.Entry<String, float[]> e : c.weights().tensors().entrySet()) {
            g.add(e.getKey(), DType.F32, shapes.get(e.getKey()), e.getValue());
        }
        g.add("input.tokens", DType.I32, new long[] {tokens.length}, tokens).add("expected.logits", DType.F32, new long[] {tokens.length, vocab}, l);
        return new Converted(g, greedy(g, tokens, l, vocab));
    }

    /**
     * Adds the greedy continuation when the fed tokens end in one: the prompt is what precedes the
     * longest suffix of tokens each the argmax of the previous position's logits.
     */
    private static String greedy(SafetensorsWriter g, int[] tokens, float[] l, int vocab) {
        int t = tokens.length;
        int prompt = 1;
        for (int p = t - 2; p >= 0; p--) {
            if (argmax(l, p, vocab) != tokens[p + 1]) {
                prompt = p + 2;
                break;
            }
        }
        for (int p = prompt - 1; p < t; p++) {
            if (!clear(l, p, vocab)) {
                return "logits and tokens; no greedy tokens: at position " + p + " the two largest logits are within " + MARGIN
                        + " of each other, where rounding could pick either";
            }
        }
        int[] continuation = new int[t - prompt + 1];
        System.arraycopy(tokens, prompt, continuation, 0, t - prompt);
        continuation[t - prompt] = argmax(l, t - 1, vocab);
        g.add("input.prompt", DType.I32, new long[] {prompt}, Arrays.copyOf(tokens, prompt))
                .add("expected.tokens", DType.I32, new long[] {continuation.length}, continuation);
        return "logits of " + t + " positions, and the greedy continuation: a prompt of " + prompt + " tokens and the " + continuation.length
                + " tokens after it (the fed ones and the argmax of the last position), compared exactly";
    }

    /**
     * @param file the tokens fed: text (ids separated by commas or white space), .npy (i4 or i8) or .safetensors
     * @return the ids
     */
    public static int[] tokens(Path file) {
        return Arrays2.ints(Checks.notNull("Llama2cLogits.tokens: file", file), "tokens");
    }

    private static int argmax(float[] l, int row, int vocab) {
        int best = 0;
        for (int i = 1; i < vocab; i++) {
            if (l[row * vocab + i] > l[row * vocab + best]) {
                best = i;
            }
        }
        return best;
    }

    /** Whether the row's top logit leads the second by at least MARGIN of its size. */
    private static boolean clear(float[] l, int row, int vocab) {
        float top = Float.NEGATIVE_INFINITY;
        float second = Float.NEGATIVE_INFINITY;
        for (int i = 0; i < vocab; i++) {
            float x = l[row * vocab + i];
            if (x > top) {
                second = top;
                top = x;
            } else if (x > second) {
                second = x;
            }
        }
        return top - second >= MARGIN * Math.max(1, Math.abs(top));
    }
}
