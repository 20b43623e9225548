package dev.unroll.runtime.golden;

import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.attention.AttentionSpec;
import dev.unroll.runtime.internal.Checks;
import dev.unroll.runtime.internal.json.Json;
import dev.unroll.runtime.weights.TensorSource;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A golden file of the linear-attention reference (irithyll), in its JSON form: the config, every
 * weight by canonical name (or digests of the seeded weights), the inputs (or the name of a sibling
 * file that holds them), the post-update outputs of {@code forward} (for every token, or for the
 * tokens {@code output_tokens} lists), the pre-update {@code query_state} readouts, and the flat
 * state after the first and the last token. Both of the reference's layouts are read as they are:
 * the width-16 files (everything inline) and the width-64 files ({@code inputs_file},
 * {@code weights_digest} as statistics per tensor, {@code output_tokens}); see
 * {@code docs/golden-format.md}.
 *
 * @param source where it came from
 * @param spec the config as a spec (f64)
 * @param weights weights by canonical name
 * @param inputs {@code [T][D]}
 * @param tokens T
 * @param outputs {@code [T][D]}, or {@code [n][D]} for the tokens of {@code outputTokens}
 * @param outputTokens the tokens {@code outputs} holds (ascending), or null for every token
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
        int[] outputTokens,
        double[] queryState,
        double[] stateAfterFirst,
        double[] finalState) {

    /** The key of files that carry digests of seeded weights instead of the weights. */
    public static final String DIGEST = "weights_digest";
    /** The key of files that keep their inputs in a sibling file. */
    public static final String INPUTS_FILE = "inputs_file";

    /**
     * @param path a {@code <variant>.json} or {@code <variant>.amp.json} file
     * @return its contents
     */
    public static ReferenceGolden read(Path path) {
        Checks.notNull("ReferenceGolden.read: path", path);
        return parse(path, Json.asObject(Json.parseFile(path), path.toString()));
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
     *     given as {@code weights_digest}, inputs as {@code inputs_file})
     */
    public static List<String> missing(Map<String, Object> root) {
        Checks.notNull("ReferenceGolden.missing: the document", root);
        List<String> m = new java.util.ArrayList<>();
        for (String key : List.of("config", "outputs", "final_state")) {
            if (!root.containsKey(key)) {
                m.add(key);
            }
        }
        if (!root.containsKey("inputs") && !root.containsKey(INPUTS_FILE)) {
            m.add("inputs (or " + INPUTS_FILE + ")");
        }
        if (!root.containsKey("weights") && !root.containsKey(DIGEST)) {
            m.add("weights (or " + DIGEST + ")");
        }
        return m;
    }

    /**
     * @param source name for messages
     * @param root the parsed document (an {@code inputs_file} cannot be found without the file's folder: use {@link #parse(Path, Map)})
     * @return its contents
     */
    public static ReferenceGolden parse(String source, Map<String, Object> root) {
        return parse(source, null, root);
    }

    /**
     * @param file the file the document was read from (its folder holds an {@code inputs_file})
     * @param root the parsed document
     * @return its contents
     */
    public static ReferenceGolden parse(Path file, Map<String, Object> root) {
        Checks.notNull("ReferenceGolden.parse: file", file);
        return parse(file.toString(), file.toAbsolutePath().getParent(), root);
    }

    private static ReferenceGolden parse(String source, Path folder, Map<String, Object> root) {
        Checks.notNull("ReferenceGolden.parse: the document", root);
        List<String> lacks = missing(root);
        if (!lacks.isEmpty()) {
            throw new UnrollException(source + ": not a reference golden file: it lacks " + String.join(", ", lacks));
        }
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
        List<Object> inputRows = root.containsKey("inputs") ? Json.asList(root.get("inputs"), "inputs") : inputsFile(source, folder, root, spec);
        double[] inputs = Json.flatDoubles(inputRows, "inputs");
        int tokens = inputRows.size();
        if (root.containsKey("n_tokens") && Json.asLong(root.get("n_tokens"), "n_tokens") != tokens) {
            throw new UnrollException(source + ": n_tokens is " + root.get("n_tokens") + " but the inputs hold " + tokens + " tokens");
        }
        return new ReferenceGolden(source, spec, TensorSource.of(source, tensors), inputs, tokens,
                Json.flatDoubles(Json.required(root, "outputs"), "outputs"), outputTokens(source, root, tokens),
                root.containsKey("query_state") ? Json.flatDoubles(root.get("query_state"), "query_state") : null,
                root.containsKey("state_after_first_token") ? Json.flatDoubles(root.get("state_after_first_token"), "state_after_first_token") : null,
                Json.flatDoubles(Json.required(root, "final_state"), "final_state"));
    }

    /**
     * The width-64 layout's sibling inputs file, {@code {"formula", "n_tokens", "d_model", "inputs"}}:
     * a plain file name in the golden file's folder (no path: a golden file must not point elsewhere).
     */
    private static List<Object> inputsFile(String source, Path folder, Map<String, Object> root, AttentionSpec spec) {
        String name = Json.asString(root.get(INPUTS_FILE), INPUTS_FILE);
        if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.equals("..") || name.equals(".")) {
            throw new UnrollException(source + ": " + INPUTS_FILE + " \"" + name + "\" must name a file in the golden file's own folder");
        }
        if (folder == null) {
            throw new UnrollException(source + ": " + INPUTS_FILE + " \"" + name + "\": read the golden file from its path, so that its folder is known");
        }
        Path file = folder.resolve(name);
        Map<String, Object> in = Json.asObject(Json.parseFile(file), file.toString());
        List<Object> rows = Json.asList(Json.required(in, "inputs"), file + ": inputs");
        if (in.containsKey("d_model") && Json.asLong(in.get("d_model"), file + ": d_model") != spec.width()) {
            throw new UnrollException(file + ": d_model is " + in.get("d_model") + " but the golden file's config has d_model " + spec.width());
        }
        if (in.containsKey("n_tokens") && Json.asLong(in.get("n_tokens"), file + ": n_tokens") != rows.size()) {
            throw new UnrollException(file + ": n_tokens is " + in.get("n_tokens") + " but it holds " + rows.size() + " rows of inputs");
        }
        return rows;
    }

    /** {@code output_tokens}: the tokens {@code outputs} holds, ascending within the inputs; null when absent (every token). */
    private static int[] outputTokens(String source, Map<String, Object> root, int tokens) {
        if (!root.containsKey("output_tokens")) {
            return null;
        }
        List<Object> list = Json.asList(root.get("output_tokens"), "output_tokens");
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) {
            long t = Json.asLong(list.get(i), "output_tokens[" + i + "]");
            if (t < 0 || t >= tokens || (i > 0 && t <= out[i - 1])) {
                throw new UnrollException(source + ": output_tokens[" + i + "] = " + t + ": the tokens must ascend within the " + tokens + " inputs");
            }
            out[i] = (int) t;
        }
        if (out.length == 0) {
            throw new UnrollException(source + ": output_tokens is empty: nothing to verify");
        }
        return out;
    }
}
