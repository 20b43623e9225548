package dev.unroll.flink;

import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.attention.AttentionSpec;
import dev.unroll.runtime.attention.AttentionWeights;
import dev.unroll.runtime.attention.GenericLinearAttention;
import dev.unroll.runtime.attention.LinearAttentionLayer;
import dev.unroll.runtime.internal.json.Json;
import dev.unroll.runtime.registry.KernelRegistry;
import dev.unroll.runtime.registry.LinearAttentionProvider;
import dev.unroll.runtime.safetensors.SafetensorsFile;
import dev.unroll.runtime.weights.TensorSource;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a job's layer comes from: its descriptor and its weights (seeded, or a safetensors file
 * shipped with the job). Only this small description travels with the job graph; the layer is
 * built once per JVM (a task manager) on first use and shared by every operator instance and key
 * there, never put in state. The generated kernel for the descriptor is used when it is on the
 * class path (its flavour chosen as everywhere in Unroll), the generic engine otherwise.
 *
 * <p>Thread-safety: immutable; the layer it returns is shareable (see {@link LinearAttentionLayer}).
 */
public final class LayerSource implements Serializable {
    private static final long serialVersionUID = 1L;
    private static final Map<String, LinearAttentionLayer> LAYERS = new ConcurrentHashMap<>();

    /** The descriptor as JSON: specs are not Serializable, and JSON is Unroll's stable form of them. */
    private final String descriptor;
    /** The safetensors file, or null for seeded weights. */
    private final String weightsFile;
    private transient AttentionSpec spec;

    private LayerSource(AttentionSpec spec, String weightsFile) {
        this.descriptor = Json.write(spec.toJson());
        this.weightsFile = weightsFile;
        this.spec = spec;
    }

    /**
     * @param spec the descriptor
     * @return the layer with Unroll's deterministic seeded weights
     */
    public static LayerSource seeded(AttentionSpec spec) {
        return new LayerSource(spec, null);
    }

    /**
     * @param spec the descriptor
     * @param weights a safetensors file readable at this path on every task manager
     * @return the layer with those weights
     */
    public static LayerSource safetensors(AttentionSpec spec, Path weights) {
        return new LayerSource(spec, weights.toString());
    }

    /** @return the descriptor */
    public AttentionSpec spec() {
        if (spec == null) {
            spec = AttentionSpec.fromJson(Json.parseObject(descriptor));
        }
        return spec;
    }

    /** @return the layer, built on this JVM's first call and shared afterwards */
    public LinearAttentionLayer layer() {
        return LAYERS.computeIfAbsent(toString(), k -> build());
    }

    private LinearAttentionLayer build() {
        AttentionWeights w;
        if (weightsFile == null) {
            w = AttentionWeights.seeded(spec());
        } else {
            try (SafetensorsFile f = SafetensorsFile.open(Path.of(weightsFile))) {
                w = AttentionWeights.load(spec(), TensorSource.of(f));
            }
        }
        Optional<LinearAttentionProvider> p = KernelRegistry.linearAttention(spec());
        return p.isPresent() ? p.get().create(w, Flavour.choose(p.get().simdGenerated())) : new GenericLinearAttention(w);
    }

    @Override
    public String toString() {
        return spec().describe() + (weightsFile == null ? " seeded" : " weights " + weightsFile);
    }
}
