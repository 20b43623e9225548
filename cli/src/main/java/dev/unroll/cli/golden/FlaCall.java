package dev.unroll.cli.golden;

import dev.unroll.cli.verify.FlaNames;
import dev.unroll.cli.verify.FlaOps;
import dev.unroll.cli.verify.FlaVerifier;
import dev.unroll.cli.verify.GoldenFile;
import dev.unroll.cli.verify.Tolerance;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.internal.Checks;
import dev.unroll.runtime.internal.json.Json;
import dev.unroll.runtime.safetensors.DType;
import dev.unroll.runtime.safetensors.SafetensorsFile;
import dev.unroll.runtime.safetensors.SafetensorsWriter;
import dev.unroll.runtime.safetensors.TensorInfo;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * fla calls saved from PyTorch, one or several per file, as one golden file of the {@code fla} family:
 * the op's arguments and results under fla's names ({@code q}, {@code gk}, {@code h0} or
 * {@code initial_state}, {@code o}, {@code ht} or {@code final_state}; mLSTM's {@code h}, {@code c},
 * {@code n}, {@code m}), optionally with an {@code in.}/{@code out.} prefix and a call suffix
 * ({@code o_1}, {@code out.ht.with_h0}; see {@link FlaNames}). Arguments become {@code input.NAME},
 * results {@code expected.NAME} (with {@code .CALL} for several calls; an argument saved without a
 * suffix stays shared), the op and its scalars the descriptor. A tensor the op does not take or
 * return is an error, never an ignored input.
 */
public final class FlaCall {
    private FlaCall() {}

    /**
     * @param call the saved calls
     * @param op fla's name of the op
     * @param scalars the op's scalar arguments ({@code scale}, {@code output_final_state}, …)
     * @param tolerance the tolerance to state, or null for the fla default (scaled error, {@link FlaVerifier#DEFAULT_REL})
     * @return the golden file, to write
     */
    public static SafetensorsWriter convert(SafetensorsFile call, String op, Map<String, Object> scalars, Tolerance tolerance) {
        Checks.notNull("FlaCall.convert: call", call);
        Checks.notNull("FlaCall.convert: op", op);
        Checks.notNull("FlaCall.convert: scalars", scalars);
        if (!FlaVerifier.OPS.contains(op)) {
            throw new UnrollException("--op " + op + ": not one of " + FlaVerifier.OPS);
        }
        FlaOps.Op spec = FlaOps.of(op);
        for (String k : scalars.keySet()) {
            if (!spec.scalars().contains(k)) {
                throw new UnrollException(op + " takes no " + k + " (its scalars: " + spec.scalars() + ")");
            }
        }
        FlaNames.Calls calls = FlaNames.saved(spec, call.names(), call.source());
        Map<String, Object> descriptor = new LinkedHashMap<>();
        descriptor.put("op", op);
        descriptor.putAll(scalars);
        SafetensorsWriter g = new SafetensorsWriter().metadata(GoldenFile.FORMAT, "1").metadata(GoldenFile.FAMILY, FlaVerifier.FAMILY)
                .metadata(GoldenFile.DESCRIPTOR, Json.write(descriptor))
                .metadata(GoldenFile.SOURCE, call.source() + ": " + (calls.ids().size() == 1 && calls.ids().get(0).isEmpty() ? "one call"
                        : calls.ids().size() + " calls " + calls.ids()) + " of " + op);
        if (tolerance != null) {
            g.metadata(GoldenFile.TOLERANCE, Json.write(Map.of("default", Map.of("abs", tolerance.abs(), "rel", tolerance.rel()))));
        }
        for (FlaNames.Entry e : calls.entries()) {
            String key = (e.result() ? GoldenFile.EXPECTED : GoldenFile.INPUT) + e.name() + (e.call().isEmpty() ? "" : "." + e.call());
            TensorInfo t = call.info(e.stored());
            if (t.dtype() == DType.I32 || t.dtype() == DType.I64) {
                g.add(key, DType.I32, t.shape(), call.ints(e.stored()));
            } else if (t.dtype() == DType.F64) {
                g.add(key, DType.F64, t.shape(), call.doubles(e.stored()));
            } else {
                g.add(key, DType.F32, t.shape(), call.floats(e.stored()));
            }
        }
        return g;
    }
}
