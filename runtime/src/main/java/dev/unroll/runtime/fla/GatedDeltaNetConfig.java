package dev.unroll.runtime.fla;

import dev.unroll.runtime.Limits;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.internal.json.Json;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The arguments of flash-linear-attention's {@code GatedDeltaNet} layer ({@code fla/layers/gated_deltanet.py}),
 * under their Java names: {@code hidden_size}, {@code expand_v}, {@code head_dim}, {@code num_heads},
 * {@code num_v_heads}, {@code use_gate}, {@code use_short_conv}, {@code allow_neg_eigval},
 * {@code conv_size}, {@code conv_bias}, {@code norm_eps}. {@link #of} takes fla's defaults for all but
 * the sizes; {@link #fromJson} reads fla's own keys (a layer's keyword arguments, or a
 * {@code GatedDeltaNetConfig}'s {@code config.json}).
 *
 * <p>Checked when made: every size at least 1 and within the runtime's limits, {@code head_dim * expand_v}
 * a whole number (fla's rule), {@code num_v_heads} a multiple of {@code num_heads} (value heads share q/k
 * heads in groups; fla's kernel divides by {@code num_v_heads / num_heads}), {@code norm_eps} finite and
 * above 0, {@code conv_bias} only with short convolutions.
 *
 * @param hiddenSize the layer's input and output width, {@code hidden_size}
 * @param expandV the value head width over the key head width, {@code expand_v}
 * @param headDim the q/k head width K, {@code head_dim}
 * @param numHeads the q/k heads H, {@code num_heads}
 * @param numVHeads the value heads HV (grouped value attention when above H), {@code num_v_heads}
 * @param useGate whether the output goes through the gated RMSNorm with {@code g_proj} (else a plain RMSNorm)
 * @param useShortConv whether q, k and v go through causal depthwise convolutions (else SiLU alone)
 * @param allowNegEigval whether beta is {@code 2 sigmoid(b)} instead of {@code sigmoid(b)}
 * @param convSize the convolutions' window W, {@code conv_size}
 * @param convBias whether the convolutions have biases
 * @param normEps the output norm's epsilon, {@code norm_eps}
 */
public record GatedDeltaNetConfig(int hiddenSize, double expandV, int headDim, int numHeads, int numVHeads, boolean useGate,
        boolean useShortConv, boolean allowNegEigval, int convSize, boolean convBias, double normEps) {
    /** The widest convolution window accepted (fla uses 4). */
    public static final int MAX_CONV_SIZE = 1024;

    /**
     * Checks the arguments as described in the class comment.
     *
     * @param hiddenSize {@code hidden_size}
     * @param expandV {@code expand_v}
     * @param headDim {@code head_dim}
     * @param numHeads {@code num_heads}
     * @param numVHeads {@code num_v_heads}
     * @param useGate {@code use_gate}
     * @param useShortConv {@code use_short_conv}
     * @param allowNegEigval {@code allow_neg_eigval}
     * @param convSize {@code conv_size}
     * @param convBias {@code conv_bias}
     * @param normEps {@code norm_eps}
     */
    public GatedDeltaNetConfig {
        within("hidden_size", hiddenSize, Limits.MAX_WIDTH);
        within("head_dim", headDim, Limits.MAX_WIDTH);
        within("num_heads", numHeads, Limits.MAX_HEADS);
        within("num_v_heads", numVHeads, Limits.MAX_HEADS);
        within("conv_size", convSize, MAX_CONV_SIZE);
        if (!(expandV > 0) || expandV > Limits.MAX_EXPANSION) {
            throw new UnrollException("GatedDeltaNet: expand_v = " + expandV + ": must be in (0, " + Limits.MAX_EXPANSION + "]");
        }
        double v = headDim * expandV;
        int whole = (int) v;
        if (whole < 1 || Math.abs(v - whole) > 1e-5 * v) {
            throw new UnrollException("GatedDeltaNet: head_dim * expand_v = " + headDim + " * " + expandV + " = " + v
                    + ": must be a whole number of at least 1 (the value head width)");
        }
        if (numVHeads % numHeads != 0) {
            throw new UnrollException("GatedDeltaNet: num_v_heads = " + numVHeads + ": must be a multiple of num_heads = " + numHeads
                    + " (each group of num_v_heads / num_heads value heads shares one q/k head)");
        }
        if (!(normEps > 0) || !Double.isFinite(normEps)) {
            throw new UnrollException("GatedDeltaNet: norm_eps = " + normEps + ": must be finite and > 0");
        }
        if (convBias && !useShortConv) {
            throw new UnrollException("GatedDeltaNet: conv_bias = true with use_short_conv = false: there is no convolution to bias");
        }
        Limits.arrayLength("GatedDeltaNet: v_proj.weight [num_v_heads * head_dim * expand_v, hidden_size]", (long) numVHeads * whole, hiddenSize);
        Limits.arrayLength("GatedDeltaNet: q_proj.weight [num_heads * head_dim, hidden_size]", (long) numHeads * headDim, hiddenSize);
        Limits.arrayLength("GatedDeltaNet: the recurrent state [num_v_heads, head_v_dim, head_dim]", numVHeads, whole, headDim);
    }

    private static void within(String name, int value, int max) {
        if (value < 1 || value > max) {
            throw new UnrollException("GatedDeltaNet: " + name + " = " + value + ": must be in [1, " + max + "]");
        }
    }

    /**
     * fla's defaults for everything but the sizes: {@code expand_v = 2}, {@code num_v_heads = num_heads},
     * gate, short convolutions of 4 without bias, no negative eigenvalues, {@code norm_eps = 1e-5}.
     *
     * @param hiddenSize {@code hidden_size}
     * @param numHeads {@code num_heads}
     * @param headDim {@code head_dim}
     * @return the configuration
     */
    public static GatedDeltaNetConfig of(int hiddenSize, int numHeads, int headDim) {
        return new GatedDeltaNetConfig(hiddenSize, 2, headDim, numHeads, numHeads, true, true, false, 4, false, 1e-5);
    }

    /**
     * Reads fla's keys: {@code hidden_size}, {@code num_heads} and {@code head_dim} are required; {@code expand_v},
     * {@code num_v_heads} (null or absent: {@code num_heads}), {@code use_gate}, {@code use_short_conv},
     * {@code allow_neg_eigval}, {@code conv_size}, {@code conv_bias} and {@code norm_eps} take the layer's defaults.
     * Other keys (a model's {@code vocab_size}, {@code num_hidden_layers}, ...) are not the layer's and are
     * not read.
     *
     * @param json a JSON object, e.g. the {@code config.json} of an fla GatedDeltaNet model
     * @return the configuration
     * @throws UnrollException naming the key at fault
     */
    public static GatedDeltaNetConfig fromJson(String json) {
        Map<String, Object> m = Json.parseObject(dev.unroll.runtime.internal.Checks.notNull("GatedDeltaNetConfig.fromJson: the JSON", json));
        int hidden = Json.asInt(Json.required(m, "hidden_size"), "hidden_size");
        int heads = Json.asInt(Json.required(m, "num_heads"), "num_heads");
        int headDim = Json.asInt(Json.required(m, "head_dim"), "head_dim");
        Object vHeads = m.get("num_v_heads");
        return new GatedDeltaNetConfig(hidden, m.containsKey("expand_v") ? Json.asDouble(m.get("expand_v"), "expand_v") : 2, headDim, heads,
                vHeads == null ? heads : Json.asInt(vHeads, "num_v_heads"), flag(m, "use_gate", true), flag(m, "use_short_conv", true),
                flag(m, "allow_neg_eigval", false), m.containsKey("conv_size") ? Json.asInt(m.get("conv_size"), "conv_size") : 4,
                flag(m, "conv_bias", false), m.containsKey("norm_eps") ? Json.asDouble(m.get("norm_eps"), "norm_eps") : 1e-5);
    }

    private static boolean flag(Map<String, Object> m, String key, boolean absent) {
        if (!m.containsKey(key)) {
            return absent;
        }
        if (m.get(key) instanceof Boolean b) {
            return b;
        }
        throw new UnrollException("GatedDeltaNet config: " + key + " must be true or false, got " + m.get(key));
    }

    /** @return the configuration as JSON under fla's keys, as {@link #fromJson} reads it */
    public String toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hidden_size", (long) hiddenSize);
        m.put("expand_v", expandV);
        m.put("head_dim", (long) headDim);
        m.put("num_heads", (long) numHeads);
        m.put("num_v_heads", (long) numVHeads);
        m.put("use_gate", useGate);
        m.put("use_short_conv", useShortConv);
        m.put("allow_neg_eigval", allowNegEigval);
        m.put("conv_size", (long) convSize);
        m.put("conv_bias", convBias);
        m.put("norm_eps", normEps);
        return Json.write(m);
    }

    /** @return the value head width V, {@code head_dim * expand_v} */
    public int headVDim() {
        return (int) (headDim * expandV);
    }

    /** @return the width of q and k, {@code num_heads * head_dim} */
    public int keyDim() {
        return numHeads * headDim;
    }

    /** @return the width of v (and of the gate and the output before {@code o_proj}), {@code num_v_heads * head_v_dim} */
    public int valueDim() {
        return numVHeads * headVDim();
    }

    /** @return fla's default query scale, {@code head_dim^-1/2} */
    public double scale() {
        return 1 / Math.sqrt(headDim);
    }

    /**
     * @param h value heads
     * @return the same configuration with {@code num_v_heads = h}
     */
    public GatedDeltaNetConfig withNumVHeads(int h) {
        return new GatedDeltaNetConfig(hiddenSize, expandV, headDim, numHeads, h, useGate, useShortConv, allowNegEigval, convSize, convBias, normEps);
    }

    /**
     * @param e the value expansion
     * @return the same configuration with {@code expand_v = e}
     */
    public GatedDeltaNetConfig withExpandV(double e) {
        return new GatedDeltaNetConfig(hiddenSize, e, headDim, numHeads, numVHeads, useGate, useShortConv, allowNegEigval, convSize, convBias, normEps);
    }

    /**
     * @param gate whether to use the output gate
     * @param shortConv whether to use short convolutions
     * @param negEigval whether beta may reach 2
     * @return the same configuration with these switches
     */
    public GatedDeltaNetConfig withSwitches(boolean gate, boolean shortConv, boolean negEigval) {
        return new GatedDeltaNetConfig(hiddenSize, expandV, headDim, numHeads, numVHeads, gate, shortConv, negEigval, convSize,
                convBias && shortConv, normEps);
    }

    /**
     * @param size the window W
     * @param bias whether the convolutions have biases
     * @return the same configuration with these convolutions
     */
    public GatedDeltaNetConfig withConv(int size, boolean bias) {
        return new GatedDeltaNetConfig(hiddenSize, expandV, headDim, numHeads, numVHeads, useGate, useShortConv, allowNegEigval, size, bias, normEps);
    }

    /**
     * @param eps the output norm's epsilon
     * @return the same configuration with {@code norm_eps = eps}
     */
    public GatedDeltaNetConfig withNormEps(double eps) {
        return new GatedDeltaNetConfig(hiddenSize, expandV, headDim, numHeads, numVHeads, useGate, useShortConv, allowNegEigval, convSize, convBias, eps);
    }
}
