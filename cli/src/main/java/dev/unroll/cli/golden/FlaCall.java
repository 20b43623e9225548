package dev.unroll.cli.golden;

import dev.unroll.cli.verify.FlaOps;
import dev.unroll.cli.verify.FlaVerifier;
import dev.unroll.cli.verify.GoldenFile;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.internal.json.Json;
import dev.unroll.runtime.safetensors.DType;
import dev.unroll.runtime.safetensors.SafetensorsFile;
import dev.unroll.runtime.safetensors.SafetensorsWriter;
import dev.unroll.runtime.safetensors.TensorInfo;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * One fla call saved from PyTorch ({@code save_file({"q": q, "k": k, …, "o": o, "final_state": s})}:
 * the op's arguments under fla's names, its results as {@code o} and {@code final_state}, or
 * {@code h}, {@code c}, {@code n}, {@code m} for mLSTM) as a golden file of the {@code fla} family:
 * arguments become {@code input.*}, results {@code expected.*}, the op and its scalars the descriptor.
 */
public final class FlaCall {
    /** The result names; every other tensor is an argument. */
    static final Set<String> RESULTS = Set.of("o", "final_state", "h", "c", "n", "m");

    private FlaCall() {}

    /**
     * @param call the saved call
     * @param op fla's name of the op
     * @param scalars the op's scalar arguments ({@code scale}, {@code output_final_state}, …)
     * @param abs absolute tolerance
     * @return the golden file, to write
     */
    public static SafetensorsWriter convert(SafetensorsFile call, String op, Map<String, Object> scalars, double abs) {
        dev.unroll.runtime.internal.Checks.notNull("FlaCall.convert: call", call);
        dev.unroll.runtime.internal.Checks.notNull("FlaCall.convert: op", op);
        dev.unroll.runtime.internal.Checks.notNull("FlaCall.convert: scalars", scalars);
        if (!FlaVerifier.OPS.contains(op)) {
            throw new UnrollException("--op " + op + ": not one of " + FlaVerifier.OPS);
        }
        FlaOps.Op spec = FlaOps.of(op);
        for (String name : call.names()) {
            if (!spec.tensors().contains(name)) {
                // an unknown tensor would become an unchecked input (a final state saved as "ht" passed whatever its values)
                throw new UnrollException(call.source() + ": tensor '" + name + "' is not an argument or a result of " + op + " (arguments "
                        + spec.required() + ", optional " + spec.optional() + ", results " + spec.results() + ")");
            }
        }
        Map<String, Object> descriptor = new LinkedHashMap<>();
        descriptor.put("op", op);
        descriptor.putAll(scalars);
        SafetensorsWriter g = new SafetensorsWriter().metadata(GoldenFile.FORMAT, "1").metadata(GoldenFile.FAMILY, FlaVerifier.FAMILY)
                .metadata(GoldenFile.DESCRIPTOR, Json.write(descriptor))
                .metadata(GoldenFile.TOLERANCE, Json.write(Map.of("default", Map.of("abs", abs, "rel", 0.0))))
                .metadata(GoldenFile.SOURCE, call.source());
        boolean anyResult = false;
        for (TensorInfo t : call.tensors().values()) {
            String name = t.name();
            boolean result = spec.results().contains(name);
            anyResult |= result;
            String key = (result ? GoldenFile.EXPECTED : GoldenFile.INPUT) + name;
            if (t.dtype() == DType.I32 || t.dtype() == DType.I64) {
                g.add(key, DType.I32, t.shape(), call.ints(name));
            } else {
                g.add(key, DType.F32, t.shape(), call.floats(name));
            }
        }
        if (!anyResult) {
            throw new UnrollException(call.source() + ": no result tensor (o, final_state, or h, c, n, m for mLSTM): nothing to verify");
        }
        return g;
    }
}
