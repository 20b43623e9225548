package dev.unroll.runtime.transformer;

import dev.unroll.annotations.RopeLayout;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.internal.json.Json;
import dev.unroll.runtime.spec.Parameter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Hugging Face {@code config.json} read as the {@code @Transformer} it describes: the members come
 * from the keys the parameter table names ({@link Parameter#referenceKey()}: {@code num_hidden_layers},
 * {@code hidden_size}, ...), with the defaults of the transformers library's {@code LlamaConfig} where a
 * key is absent ({@code num_key_value_heads}: the heads, {@code rms_norm_eps} 1e-6, {@code rope_theta}
 * 10000, {@code tie_word_embeddings} false, {@code max_position_embeddings} 2048), and the rotary
 * pairing of Hugging Face weights ({@link RopeLayout#HALF_SPLIT}).
 *
 * <p>Qwen2 ({@code model_type} "qwen2") is a Llama with biases on q, k and v ({@code qkvBias}); Qwen3
 * ("qwen3") one with an RMSNorm on each query and key head ({@code qkNorm}). Llama 3's
 * {@code rope_scaling} is read into the scaling members, {@code head_dim} into {@code headDim} (the
 * queries are then heads * head_dim wide, whatever hidden_size is).
 *
 * <p>A configuration the family cannot compute is refused, naming the key, its value and why, rather
 * than read as a model that would give other logits: another architecture, an activation other than
 * SiLU, another {@code rope_scaling} type, biases on the output or MLP projections, and a sliding window shorter than the context (Mistral's, or Qwen's when
 * {@code use_sliding_window} is on).
 */
public final class HfConfig {
    /** The model types whose decoder the family computes. */
    static final Set<String> SUPPORTED = Set.of("llama", "mistral", "qwen2", "qwen3");
    /** The keys a model of a supported type must give. */
    private static final List<Parameter<?>> REQUIRED = List.of(TransformerSpec.LAYERS, TransformerSpec.WIDTH, TransformerSpec.HEADS,
            TransformerSpec.FFN_HIDDEN, TransformerSpec.VOCAB);

    private HfConfig() {}

    /**
     * @param configJson a {@code config.json}
     * @return the descriptor it describes
     * @throws UnrollException when the file cannot be read, is not such a configuration, or describes a
     *     model the family cannot compute (the message names the key and the value)
     */
    public static TransformerSpec read(Path configJson) {
        dev.unroll.runtime.internal.Checks.notNull("HfConfig.read: configJson", configJson);
        Object json = Json.parseFile(configJson);
        return of(Json.asObject(json, configJson + ": the configuration"), configJson.toString());
    }

    /**
     * @param text a {@code config.json}'s text
     * @param source where it came from, for messages
     * @return the descriptor it describes
     * @throws UnrollException as {@link #read}
     */
    public static TransformerSpec parse(String text, String source) {
        dev.unroll.runtime.internal.Checks.notNull("HfConfig.parse: text", text);
        dev.unroll.runtime.internal.Checks.notNull("HfConfig.parse: source", source);
        Object json;
        try {
            json = Json.parse(text);
        } catch (UnrollException e) {
            throw new UnrollException(UnrollException.safe(source) + ": not JSON: " + e.getMessage(), e);
        }
        return of(Json.asObject(json, UnrollException.safe(source) + ": the configuration"), source);
    }

    /**
     * @param config a parsed {@code config.json}
     * @param source where it came from, for messages
     * @return the descriptor it describes
     * @throws UnrollException as {@link #read}
     */
    public static TransformerSpec of(Map<String, Object> config, String source) {
        dev.unroll.runtime.internal.Checks.notNull("HfConfig.of: config", config);
        dev.unroll.runtime.internal.Checks.notNull("HfConfig.of: source", source);
        String src = UnrollException.safe(source);
        String type = modelType(config, src);
        refuseWhatTheFamilyCannotCompute(config, src, type);
        TransformerSpec.Builder b = TransformerSpec.builder();
        for (Parameter<?> p : REQUIRED) {
            if (!config.containsKey(p.referenceKey())) {
                throw new UnrollException(src + ": " + p.referenceKey() + " is missing (the @Transformer member " + p.name() + ")");
            }
            b.setRaw(p, Json.asInt(config.get(p.referenceKey()), src + ": " + p.referenceKey()));
        }
        int heads = b.get(TransformerSpec.HEADS);
        int kvHeads = intOr(config, TransformerSpec.KV_HEADS, heads, src);
        if (kvHeads == 0) {
            throw new UnrollException(src + ": num_key_value_heads is 0 (at least 1; absent or null means num_attention_heads)");
        }
        b.setRaw(TransformerSpec.KV_HEADS, kvHeads);
        b.setRaw(TransformerSpec.MAX_SEQ, intOr(config, TransformerSpec.MAX_SEQ, 2048, src));
        b.setRaw(TransformerSpec.ROPE_THETA, doubleOr(config, TransformerSpec.ROPE_THETA, 10000.0, src));
        b.setRaw(TransformerSpec.NORM_EPS, doubleOr(config, TransformerSpec.NORM_EPS, 1e-6, src));
        Object tied = config.get(TransformerSpec.TIED_CLASSIFIER.referenceKey());
        if (tied != null && !(tied instanceof Boolean)) {
            throw new UnrollException(src + ": tie_word_embeddings must be true or false, got " + UnrollException.safe(String.valueOf(tied)));
        }
        b.setRaw(TransformerSpec.TIED_CLASSIFIER, Boolean.TRUE.equals(tied));
        b.setRaw(TransformerSpec.ROPE, RopeLayout.HALF_SPLIT);
        Object headDim = config.get(TransformerSpec.HEAD_DIM.referenceKey());
        b.setRaw(TransformerSpec.HEAD_DIM, headDim == null ? 0 : Json.asInt(headDim, src + ": head_dim"));
        b.setRaw(TransformerSpec.QKV_BIAS, type.equals("qwen2"));
        b.setRaw(TransformerSpec.QK_NORM, type.equals("qwen3"));
        ropeScaling(config, src, b);
        try {
            return b.build();
        } catch (UnrollException e) {
            throw new UnrollException(src + ": " + e.getMessage(), e);
        }
    }

    private static String modelType(Map<String, Object> config, String src) {
        Object t = config.get("model_type");
        if (t == null) {
            throw new UnrollException(src + ": model_type is missing: a Hugging Face config.json names its architecture (supported: llama, mistral)");
        }
        String type = Json.asString(t, src + ": model_type");
        if (!SUPPORTED.contains(type)) {
            throw new UnrollException(src + ": model_type \"" + UnrollException.safe(type) + "\" is not supported"
                    + " (supported: llama, mistral, qwen2, qwen3)");
        }
        return type;
    }

    private static void refuseWhatTheFamilyCannotCompute(Map<String, Object> config, String src, String type) {
        Object act = config.get("hidden_act");
        if (act != null && !"silu".equals(act)) {
            throw new UnrollException(src + ": hidden_act " + shown(act) + " is not supported: the MLP is SwiGLU with SiLU (\"silu\")");
        }
        for (String bias : List.of("attention_bias", "mlp_bias")) {
            Object v = config.get(bias);
            if (v != null && !Boolean.FALSE.equals(v)) {
                throw new UnrollException(src + ": " + bias + " " + shown(v) + " is not supported: the projections have no biases");
            }
        }
        boolean qwen = type.startsWith("qwen");
        Object useWindow = config.get("use_sliding_window");
        if (useWindow != null && !(useWindow instanceof Boolean)) {
            throw new UnrollException(src + ": use_sliding_window must be true or false, got " + shown(useWindow));
        }
        if (type.equals("mistral") || (qwen && Boolean.TRUE.equals(useWindow))) {
            Object window = config.get("sliding_window");
            long positions = config.get("max_position_embeddings") == null ? 2048
                    : Json.asLong(config.get("max_position_embeddings"), src + ": max_position_embeddings");
            if (window != null && Json.asLong(window, src + ": sliding_window") < positions) {
                throw new UnrollException(src + ": sliding_window " + shown(window) + " is not supported: attention sees every position up to "
                        + "max_position_embeddings (" + positions + ")");
            }
        }
    }

    /**
     * {@code rope_scaling}: absent or null (unscaled), or Llama 3's ({@code rope_type} "llama3", or the
     * older key {@code type}) with its four numbers; any other type computes other frequencies and is refused.
     */
    private static void ropeScaling(Map<String, Object> config, String src, TransformerSpec.Builder b) {
        Object value = config.get("rope_scaling");
        if (value == null) {
            return;
        }
        Map<String, Object> scaling = Json.asObject(value, src + ": rope_scaling");
        Object type = scaling.containsKey("rope_type") ? scaling.get("rope_type") : scaling.get("type");
        if ("default".equals(type)) {
            return; // transformers' name of unscaled rotary frequencies
        }
        if (!"llama3".equals(type)) {
            throw new UnrollException(src + ": rope_scaling " + shown(scaling) + " is not supported: of the scaled rotary frequencies, Llama 3's"
                    + " (rope_type \"llama3\") is computed" + (type == null ? " (this one names no rope_type)" : ""));
        }
        for (Parameter<?> p : TransformerSpec.ROPE_SCALING_PARAMETERS) {
            String key = p.referenceKey().substring("rope_scaling.".length());
            Object v = scaling.get(key);
            if (v == null) {
                throw new UnrollException(src + ": rope_scaling." + key + " is missing: Llama 3's scaling needs factor, low_freq_factor, "
                        + "high_freq_factor and original_max_position_embeddings");
            }
            String what = src + ": " + p.referenceKey();
            b.setRaw(p, p.type() == Integer.class ? (Object) Json.asInt(v, what) : (Object) Json.asDouble(v, what));
        }
    }

    /** A value as the file writes it, cut short: a message names it, it does not reproduce it. */
    private static String shown(Object v) {
        String w = Json.write(v);
        return UnrollException.safe(w.length() > 120 ? w.substring(0, 120) + "..." : w);
    }

    private static int intOr(Map<String, Object> config, Parameter<?> p, int otherwise, String src) {
        Object v = config.get(p.referenceKey());
        return v == null ? otherwise : Json.asInt(v, src + ": " + p.referenceKey());
    }

    private static double doubleOr(Map<String, Object> config, Parameter<?> p, double otherwise, String src) {
        Object v = config.get(p.referenceKey());
        return v == null ? otherwise : Json.asDouble(v, src + ": " + p.referenceKey());
    }
}
