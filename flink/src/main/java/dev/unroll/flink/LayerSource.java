package dev.unroll.flink;

import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.UnrollException;
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
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a job's layer comes from: its descriptor, its weights (seeded, or a safetensors file
 * shipped with the job) and its kernel flavour. Only this small description travels with the job
 * graph; the layer is built once per JVM (a TaskManager) on first use and shared by every operator
 * instance and key there, never put in state.
 *
 * <p>The flavour is a property of the job, chosen once when the job is built: the SIMD flavour
 * when the descriptor's generated kernel has one, else scalar; {@code -Dunroll.flavour=scalar|simd}
 * on the client, or {@link #withFlavour}, decides otherwise. The JVM flags of the TaskManagers do
 * not change it: a TaskManager that cannot run it (no {@code --add-modules jdk.incubator.vector})
 * fails the task, or runs scalar with a warning ({@link #ifFlavourUnavailable}). Without a
 * generated kernel for the descriptor on the class path the generic engine runs (f64 state).
 *
 * <p>Thread-safety: immutable; the layer it returns is shareable (see {@link LinearAttentionLayer}).
 */
public final class LayerSource implements Serializable {
    private static final long serialVersionUID = 2L;
    private static final Map<String, TaskLayer> LAYERS = new ConcurrentHashMap<>();

    /** The descriptor as JSON: specs are not Serializable, and JSON is Unroll's stable form of them. */
    private final String descriptor;
    /** The safetensors file, or null for seeded weights. */
    private final String weightsFile;
    /** The kernel flavour every task of the job runs. */
    private final Flavour flavour;
    /** What a task does when its TaskManager cannot run it. */
    private final IfFlavourUnavailable ifUnavailable;
    private transient AttentionSpec spec;

    private LayerSource(AttentionSpec spec, String weightsFile, Flavour flavour, IfFlavourUnavailable ifUnavailable) {
        this.descriptor = Json.write(spec.toJson());
        this.weightsFile = weightsFile;
        this.flavour = flavour;
        this.ifUnavailable = ifUnavailable;
        this.spec = spec;
    }

    /**
     * @param spec the descriptor
     * @return the layer with Unroll's deterministic seeded weights, in the job's default flavour
     */
    public static LayerSource seeded(AttentionSpec spec) {
        return new LayerSource(spec, null, defaultFlavour(spec), IfFlavourUnavailable.FAIL);
    }

    /**
     * @param spec the descriptor
     * @param weights a safetensors file readable at this path on every task manager
     * @return the layer with those weights, in the job's default flavour
     */
    public static LayerSource safetensors(AttentionSpec spec, Path weights) {
        return new LayerSource(spec, weights.toString(), defaultFlavour(spec), IfFlavourUnavailable.FAIL);
    }

    /**
     * The flavour a job gets unless it asks for one: {@code -Dunroll.flavour} when set on the JVM
     * that builds the job, else SIMD when the descriptor's generated kernel (on this class path) has
     * a SIMD flavour, else scalar. The vector module of the building JVM plays no part: it is the
     * TaskManagers that run the kernels.
     *
     * @param spec the descriptor
     * @return the flavour
     * @throws UnrollException when {@code -Dunroll.flavour} is neither scalar nor simd
     */
    static Flavour defaultFlavour(AttentionSpec spec) {
        String forced = System.getProperty(Flavour.PROPERTY);
        if (forced != null) {
            try {
                return Flavour.valueOf(forced.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new UnrollException("-D" + Flavour.PROPERTY + "=" + forced + ": expected scalar or simd");
            }
        }
        return KernelRegistry.linearAttention(spec).filter(LinearAttentionProvider::simdGenerated).isPresent() ? Flavour.SIMD : Flavour.SCALAR;
    }

    /**
     * @param f the flavour every task of the job runs
     * @return this source with that flavour
     */
    public LayerSource withFlavour(Flavour f) {
        if (f == null) {
            throw new UnrollException("LayerSource.withFlavour(null): name a flavour, SCALAR or SIMD");
        }
        return new LayerSource(spec(), weightsFile, f, ifUnavailable);
    }

    /**
     * @param what what a task does when its TaskManager cannot run the job's flavour (default
     *     {@link IfFlavourUnavailable#FAIL})
     * @return this source with that choice
     */
    public LayerSource ifFlavourUnavailable(IfFlavourUnavailable what) {
        if (what == null) {
            throw new UnrollException("LayerSource.ifFlavourUnavailable(null): name a choice, FAIL or WARN");
        }
        return new LayerSource(spec(), weightsFile, flavour, what);
    }

    /** @return the descriptor */
    public AttentionSpec spec() {
        if (spec == null) {
            spec = AttentionSpec.fromJson(Json.parseObject(descriptor));
        }
        return spec;
    }

    /** @return the job's kernel flavour */
    public Flavour flavour() {
        return flavour;
    }

    /** @return what a task does when its TaskManager cannot run the job's flavour */
    public IfFlavourUnavailable ifFlavourUnavailable() {
        return ifUnavailable;
    }

    /**
     * @return the layer, built on this JVM's first call and shared afterwards
     * @throws UnrollException when this JVM cannot run the job's flavour and the job asked to fail
     */
    public LinearAttentionLayer layer() {
        return taskLayer().layer();
    }

    /** @return the layer with the flavour it runs, built on this JVM's first call */
    TaskLayer taskLayer() {
        return taskLayer(Flavour.vectorModulePresent());
    }

    /**
     * @param vectorModule whether this JVM has {@code jdk.incubator.vector}
     * @return the layer with the flavour it runs
     */
    TaskLayer taskLayer(boolean vectorModule) {
        return LAYERS.computeIfAbsent(this + " vector module " + vectorModule, k -> build(vectorModule));
    }

    private TaskLayer build(boolean vectorModule) {
        AttentionWeights w;
        if (weightsFile == null) {
            w = AttentionWeights.seeded(spec());
        } else {
            try (SafetensorsFile f = SafetensorsFile.open(Path.of(weightsFile))) {
                w = AttentionWeights.load(spec(), TensorSource.of(f));
            }
        }
        Optional<LinearAttentionProvider> p = KernelRegistry.linearAttention(spec());
        if (p.isEmpty()) {
            return new TaskLayer(new GenericLinearAttention(w), null, null);
        }
        String missing = flavour != Flavour.SIMD ? null
                : !p.get().simdGenerated() ? "its generated kernel " + p.get().generatedClass() + " has no SIMD flavour (it was compiled without jdk.incubator.vector)"
                : !vectorModule ? "jdk.incubator.vector is not present in this JVM (start it with --add-modules jdk.incubator.vector: env.java.opts.taskmanager)"
                : null;
        if (missing == null) {
            return new TaskLayer(p.get().create(w, flavour), flavour, null);
        }
        String why = "the job's " + flavour + " flavour cannot run here: " + missing;
        if (ifUnavailable == IfFlavourUnavailable.FAIL) {
            throw new UnrollException(why + "; or build the job with LayerSource.withFlavour(Flavour.SCALAR), or ifFlavourUnavailable(WARN) to run scalar here");
        }
        return new TaskLayer(p.get().create(w, Flavour.SCALAR), Flavour.SCALAR, why + "; running the scalar flavour, whose outputs differ in the last bits");
    }

    @Override
    public String toString() {
        return spec().describe() + (weightsFile == null ? " seeded" : " weights " + weightsFile) + ", " + flavour + " flavour"
                + (ifUnavailable == IfFlavourUnavailable.WARN ? " (scalar with a warning where unavailable)" : "");
    }
}
