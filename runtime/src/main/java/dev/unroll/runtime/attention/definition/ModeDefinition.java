package dev.unroll.runtime.attention.definition;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.runtime.attention.AttentionSpec;
import dev.unroll.runtime.spec.Parameter;
import dev.unroll.runtime.spec.ParameterValues;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Everything Unroll knows about one attention mode, in one place: its parameters and their rules,
 * its weight tensors, the shape of its state, how the reference names it, and its recurrence for
 * the generic engine. The annotation processor reads the same definition (rules, tensors, state) and
 * adds the mode's kernel plan; see {@code docs/design.md} for adding a mode.
 *
 * <p>Definitions are stateless singletons registered in {@link Modes}.
 */
public abstract class ModeDefinition {
    /** @return the mode */
    public abstract AttentionMode mode();

    /** @return the reference's name of the mode, e.g. {@code GatedDeltaNet} */
    public abstract String referenceName();

    /**
     * @return one head's update in the docs' notation (Markdown; {@code k}, {@code v}, {@code q} are {@code W_key x},
     *     {@code W_value x}, {@code W_query x}): the docs' mode table is generated from it
     */
    public abstract String update();

    /** @return what else to know about the mode, for the docs' mode table (Markdown), or empty */
    public String notes() {
        return "";
    }

    /**
     * @return the API class that holds the typed keys of the mode's own parameters ({@code RetNetMode} for RetNet), or
     *     null when the mode has none: generated code and users name a parameter by its key there
     */
    public Class<?> keys() {
        return null;
    }

    /** @return the mode's own parameters in declaration order (none by default) */
    public List<Parameter<?>> parameters() {
        return List.of();
    }

    /**
     * Checks the values of the mode's own parameters.
     *
     * @param values the values as written (defaults where absent)
     * @param out where findings go
     */
    public void check(ParameterValues values, Findings out) {}

    /**
     * Reports one of the mode's own parameters that is set explicitly but has no effect with these
     * values (Gated DeltaNet's {@code betaScale} with per-token beta); by default nothing.
     *
     * @param member one of the mode's parameters, set explicitly
     * @param value its value
     * @param values the values
     * @param out where the finding goes
     */
    public void ownParameter(String member, Object value, ParameterValues values, Findings out) {}

    /**
     * The finding for another mode's parameter set explicitly on this mode; by default
     * {@code [Unroll/ParameterNotUsed]}.
     *
     * @param member the member
     * @param owner the mode it belongs to
     * @param value its value
     * @param values this mode's values
     * @param out where the finding goes
     */
    public void foreignParameter(String member, AttentionMode owner, Object value, ParameterValues values, Findings out) {
        out.add(dev.unroll.runtime.spec.Diagnostic.PARAMETER_NOT_USED, member, member, value, "mode " + mode(), " (it belongs to " + owner + ")");
    }

    /**
     * The canonical values: only the parameters the mode uses with these values, defaults resolved,
     * so that two specs of the same model are equal.
     *
     * @param values valid values (defaults where absent)
     * @return the values the spec keeps
     */
    public Map<String, Object> canonical(ParameterValues values) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (Parameter<?> p : parameters()) {
            m.put(p.name(), values.get(p));
        }
        return m;
    }

    /**
     * Declares the per-head tensors after key, value and query, in draw order.
     *
     * @param spec the layer
     * @param out the declaration
     */
    public void headTensors(AttentionSpec spec, HeadTensors out) {}

    /** @return whether the recurrence reads the key projection (drawn in any case) */
    public boolean usesKey() {
        return true;
    }

    /** @return whether the recurrence reads the value projection (drawn in any case) */
    public boolean usesValue() {
        return true;
    }

    /** @return whether the readout reads the query projection (drawn in any case) */
    public boolean usesQuery() {
        return true;
    }

    /** @return whether the output passes through tanh after {@code w_out} in {@code step} */
    public boolean tanhOutput() {
        return false;
    }

    /** @return whether the pre-update readout {@code query} also applies tanh */
    public boolean tanhQuery() {
        return false;
    }

    /** @return whether keys are L2-normalised delta-rule keys (LogLinear normalises its leaves for such inner modes) */
    public boolean deltaRule() {
        return false;
    }

    /** @return whether the state is a vector of V per head instead of K x V matrices */
    public boolean vectorState() {
        return false;
    }

    /** @return whether the stream keeps a Fenwick level mask in {@code meta[1]} (LogLinear) */
    public boolean levelMask() {
        return false;
    }

    /**
     * @param spec the layer
     * @return state values per head (exact: the rules check it fits)
     */
    public long stateSizePerHead(AttentionSpec spec) {
        return vectorState() ? spec.valueWidth() : (long) spec.keyWidth() * spec.valueWidth();
    }

    /**
     * Reads the mode's parameters from the reference's mode object (its golden files' config).
     *
     * @param modeObj e.g. {@code {"name":"RetNet","gamma":0.95}}
     * @param out values by parameter name
     */
    public void readReference(Map<String, Object> modeObj, Map<String, Object> out) {
        for (Parameter<?> p : parameters()) {
            out.put(p.name(), p.fromReference(modeObj));
        }
    }

    /**
     * The recurrence over a sequence for the generic engine (f64, the reference's order): reads the
     * pass's projections and state, updates the state and writes {@link GenericPass#out()}.
     *
     * @param pass the call
     */
    public abstract void recur(GenericPass pass);

    /**
     * The pre-update readout of one head for the generic engine; by default {@code S^T q}.
     *
     * @param c the head's query
     */
    public void query(GenericQuery c) {
        AttentionSpec s = c.spec();
        int k = s.keyWidth();
        int v = s.valueWidth();
        int base = c.head() * k * v;
        for (int j = 0; j < v; j++) {
            double acc = 0.0;
            for (int i = 0; i < k; i++) {
                acc += c.state()[base + i * v + j] * c.q()[i];
            }
            c.concat()[c.head() * v + j] = acc;
        }
    }

    @Override
    public String toString() {
        return mode().name();
    }
}
