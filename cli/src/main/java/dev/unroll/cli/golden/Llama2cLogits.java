package dev.unroll.cli.golden;

import dev.unroll.cli.verify.GoldenFile;
import dev.unroll.cli.verify.TransformerVerifier;
import dev.unroll.runtime.Limits;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.internal.json.Json;
import dev.unroll.runtime.safetensors.DType;
import dev.unroll.runtime.safetensors.SafetensorsWriter;
import dev.unroll.runtime.transformer.Llama2c;
import dev.unroll.runtime.transformer.TransformerWeights;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A llama2.c checkpoint and the logits a patched {@code run.c} printed for each position (raw
 * little-endian f32, {@code [T][vocab]}: {@code fwrite(logits, sizeof(float), vocab, f)} after each
 * {@code forward}), with the tokens fed, as one transformer golden file (weights under their
 * Hugging Face names, the descriptor from the checkpoint's header).
 */
public final class Llama2cLogits {
    private Llama2cLogits() {}

    /**
     * @param model the checkpoint
     * @param tokens the tokens fed, one per position
     * @param logits the raw logits file
     * @param rel relative tolerance (scaled by each tensor's largest value)
     * @return the golden file, to write
     */
    public static SafetensorsWriter convert(Path model, int[] tokens, Path logits, double rel) {
        dev.unroll.runtime.internal.Checks.notNull("Llama2cLogits.convert: model", model);
        dev.unroll.runtime.internal.Checks.notNull("Llama2cLogits.convert: tokens", tokens);
        dev.unroll.runtime.internal.Checks.notNull("Llama2cLogits.convert: logits", logits);
        Llama2c.Checkpoint c = Llama2c.load(model);
        int vocab = c.spec().vocab();
        long need = Limits.product("logits of " + tokens.length + " positions", tokens.length, vocab, 4);
        if (!Files.isRegularFile(logits)) {
            throw new UnrollException(logits + ": not a regular file (the logits run.c wrote, raw little-endian f32)");
        }
        float[] l;
        try {
            long size = Files.size(logits);
            if (size != need) {
                throw new UnrollException(logits + ": " + size + " bytes; " + tokens.length + " positions of " + vocab + " f32 logits are " + need);
            }
            ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(logits)).order(ByteOrder.LITTLE_ENDIAN);
            l = new float[tokens.length * vocab];
            b.asFloatBuffer().get(l);
        } catch (IOException e) {
            throw new UnrollException(logits + ": cannot read: " + e.getMessage(), e);
        }
        for (int t : tokens) {
            if (t < 0 || t >= vocab) {
                throw new UnrollException("token " + t + " is outside the vocabulary [0, " + vocab + ")");
            }
        }
        SafetensorsWriter g = new SafetensorsWriter().metadata(GoldenFile.FORMAT, "1").metadata(GoldenFile.FAMILY, TransformerVerifier.FAMILY)
                .metadata(GoldenFile.DESCRIPTOR, Json.write(c.spec().toJson()))
                .metadata(GoldenFile.TOLERANCE, Json.write(Map.of("default", Map.of("abs", 0.0, "rel", rel))))
                .metadata(GoldenFile.SOURCE, model + " with per-position logits " + logits);
        Map<String, long[]> shapes = TransformerWeights.shapes(c.spec());
        for (Map.Entry<String, float[]> e : c.weights().tensors().entrySet()) {
            g.add(e.getKey(), DType.F32, shapes.get(e.getKey()), e.getValue());
        }
        return g.add("input.tokens", DType.I32, new long[] {tokens.length}, tokens).add("expected.logits", DType.F32, new long[] {tokens.length, vocab}, l);
    }
}
