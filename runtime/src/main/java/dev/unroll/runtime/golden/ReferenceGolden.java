package dev.unroll.runtime.golden;

import dev.unroll.runtime.attention.AttentionSpec;
import dev.unroll.runtime.internal.json.Json;
import dev.unroll.runtime.weights.TensorSource;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A golden file of the linear-attention reference (irithyll), in its JSON form: the config, every
 * weight by canonical name, the inputs, the post-update outputs of {@code forward}, the pre-update
 * {@code query_state} readouts, and the flat state after the first and the last token.
 *
 * @param source where it came from
 * @param spec the config as a spec (f64)
 * @param weights weights by canonical name
 * @param inputs {@code [T][D]}
 * @param tokens T
 * @param outputs {@code [T][D]}
 * @param queryState {@code [T][D]}, or null when absent
 * @param stateAfterFirst flat state after token 0, or null
 * @param finalState flat state after the last token
 */
public record ReferenceGolden(
        String source,
        AttentionSpec spec,
        TensorSource weights,
        double[] inputs,
        int tokens,
        double[] outputs,
        double[] queryState,
        double[] stateAfterFirst,
        double[] finalState) {

    /**
     * @param path a {@code <variant>.json} or {@code <variant>.amp.json} file
     * @return its contents
     */
    public static ReferenceGolden read(Path path) {
        return parse(path.toString(), Json.asObject(Json.parseFile(path), path.toString()));
    }

    /**
     * @param root a parsed golden document
     * @return whether it looks like a reference attention golden file
     */
    public static boolean looksLike(Map<String, Object> root) {
        return missing(root).isEmpty();
    }

    /**
     * @param root a parsed document
     * @return the top-level keys a reference golden file needs and this one lacks (weights may be
     *     given as {@code weights_digest} instead)
     */
    public static List<String> missing(Map<String, Object> root) {
        List<String> m = new java.util.ArrayList<>();
        for (String key : List.of("config", "inputs", "outputs", "final_state")) {
            if (!root.containsKey(key)) {
                m.add(key);
            }
        }
        if (!root.containsKey("weights") && !root.containsKey(DIGEST)) {
            m.add("weights (or " + DIGEST + ")");
        }
        return m;
    }

    /** The key of files that carry digests of seeded weights instead of the weights. */
    public static final String DIGEST = "weights_digest";

    /**
     * @param source name for messages
     * @param root the parsed document
     * @return its contents
     */
    public static ReferenceGolden parse(String source, Map<String, Object> root) {
        AttentionSpec spec = AttentionSpec.fromReferenceConfig(Json.asObject(Json.required(root, "config"), "config"));
        Map<String, TensorSource.Array> tensors = new LinkedHashMap<>();
        if (!root.containsKey("weights") && root.containsKey(DIGEST)) {
            tensors = WeightDigests.regenerate(source, spec, root.get(DIGEST));
        }
        for (Object o : root.containsKey("weights") ? Json.asList(root.get("weights"), "weights") : List.of()) {
            Map<String, Object> t = Json.asObject(o, "weights[]");
            String name = Json.asString(Json.required(t, "name"), "weights[].name");
            List<Object> shapeList = Json.asList(Json.required(t, "shape"), name + ".shape");
            long[] shape = new long[shapeList.size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = Json.asLong(shapeList.get(i), name + ".shape");
            }
            tensors.put(name, new TensorSource.Array(shape, Json.flatDoubles(Json.required(t, "data"), name)));
        }
        double[] inputs = Json.flatDoubles(Json.required(root, "inputs"), "inputs");
        int tokens = Json.asList(root.get("inputs"), "inputs").size();
        return new ReferenceGolden(source, spec, TensorSource.of(source, tensors), inputs, tokens,
                Json.flatDoubles(Json.required(root, "outputs"), "outputs"),
                root.containsKey("query_state") ? Json.flatDoubles(root.get("query_state"), "query_state") : null,
                root.containsKey("state_after_first_token") ? Json.flatDoubles(root.get("state_after_first_token"), "state_after_first_token") : null,
                Json.flatDoubles(Json.required(root, "final_state"), "final_state"));
    }
}
