package dev.unroll.cli.verify;

import dev.unroll.annotations.WeightFormat;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.internal.json.Json;
import dev.unroll.runtime.safetensors.SafetensorsFile;
import dev.unroll.runtime.weights.TensorSource;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A golden file in Unroll's format (see {@code docs/golden-format.md}): a safetensors file whose
 * {@code __metadata__} names the family, the descriptor and the tolerances, and whose tensors hold
 * the weights under canonical names, inputs under {@code input.*} and expected outputs under
 * {@code expected.*}.
 */
public final class GoldenFile {
    /** Metadata key of the format version. */
    public static final String FORMAT = "unroll.format";
    /** Metadata key of the family. */
    public static final String FAMILY = "unroll.family";
    /** Metadata key of the descriptor JSON. */
    public static final String DESCRIPTOR = "unroll.descriptor";
    /** Metadata key of the tolerance JSON. */
    public static final String TOLERANCE = "unroll.tolerance";
    /** Metadata key of the free-text origin. */
    public static final String SOURCE = "unroll.source";
    /** Prefix of input tensors. */
    public static final String INPUT = "input.";
    /** Prefix of expected outputs. */
    public static final String EXPECTED = "expected.";

    private final SafetensorsFile file;
    private final Map<String, Object> descriptor;
    private final Map<String, Tolerance> tolerances = new LinkedHashMap<>();
    private final Tolerance defaultTolerance;
    private final boolean statedDefault;

    private GoldenFile(SafetensorsFile file) {
        this.file = file;
        Map<String, String> md = file.metadata();
        if (!md.containsKey(FAMILY) || !md.containsKey(DESCRIPTOR)) {
            throw new UnrollException(file.source() + ": not an Unroll golden file (its __metadata__ needs \"" + FAMILY + "\" and \""
                    + DESCRIPTOR + "\"; see docs/golden-format.md)");
        }
        String version = md.getOrDefault(FORMAT, "1");
        if (!version.equals("1")) {
            throw new UnrollException(file.source() + ": golden format version " + version + " is not supported (this runtime reads 1)");
        }
        this.descriptor = Json.parseObject(md.get(DESCRIPTOR));
        Tolerance def = null;
        if (md.containsKey(TOLERANCE)) {
            Map<String, Object> t = Json.parseObject(md.get(TOLERANCE));
            for (Map.Entry<String, Object> e : t.entrySet()) {
                Tolerance tol = Tolerance.fromJson(Json.asObject(e.getValue(), "tolerance " + e.getKey()));
                if (e.getKey().equals("default")) {
                    def = tol;
                } else {
                    tolerances.put(e.getKey(), tol);
                }
            }
        }
        this.defaultTolerance = def;
        this.statedDefault = def != null;
    }

    /**
     * @param file an open safetensors file
     * @return it as a golden file
     */
    public static GoldenFile of(SafetensorsFile file) {
        dev.unroll.runtime.internal.Checks.notNull("GoldenFile.of: file", file);
        return new GoldenFile(file);
    }

    /** @return the underlying file */
    public SafetensorsFile file() {
        return file;
    }

    /** @return the family */
    public String family() {
        return file.metadata().get(FAMILY);
    }

    /**
     * The descriptor and origin lines of a report. The descriptor's seed only says how seeded weights
     * are drawn: a golden file carries its weights, so the seed is left out (a trace of PyTorch's seed
     * 0 printed Unroll's default seed 1); the file's stated origin follows, when it has one.
     *
     * @param described the spec's {@code describe()}
     * @return the lines, each indented, starting with a line break
     */
    String describe(String described) {
        String source = file.metadata().get(SOURCE);
        return "\n  descriptor " + described.replaceFirst(", seed = -?[0-9]+", "") + ", weights from the file"
                + (source == null ? "" : "\n  source " + UnrollException.safe(source));
    }

    /** @return the descriptor object */
    public Map<String, Object> descriptor() {
        return descriptor;
    }

    /** The descriptor member that names the stored format of the big matrices, as the annotations' {@code weights}. */
    public static final String WEIGHTS = "weights";

    /**
     * @return the descriptor without {@code weights}: what the family's spec reads ({@code weights} picks the
     *     generated model, it is not part of the spec)
     */
    public Map<String, Object> specJson() {
        Map<String, Object> m = new LinkedHashMap<>(descriptor);
        m.remove(WEIGHTS);
        return m;
    }

    /** @return the descriptor's {@code weights} ({@code "F32"}, {@code "BF16"}, {@code "Q8"}), F32 when absent */
    public WeightFormat weightFormat() {
        return descriptor.containsKey(WEIGHTS) ? Json.asEnum(descriptor.get(WEIGHTS), WeightFormat.class, WEIGHTS) : WeightFormat.F32;
    }

    /**
     * The file holds no {@code input.*} or {@code expected.*} tensor the verifier does not read: a
     * tensor nobody compares would pass unchecked.
     *
     * @param read the names the verifier reads
     */
    void readsOnly(java.util.Collection<String> read) {
        for (String name : file.names()) {
            if ((name.startsWith(INPUT) || name.startsWith(EXPECTED)) && !read.contains(name)) {
                throw new UnrollException(file.source() + ": tensor '" + name + "' is not read by the " + family() + " verifier (it reads "
                        + read.stream().sorted().toList() + "): a tensor nobody compares would pass unchecked");
            }
        }
    }

    /** @return the weights: every tensor outside {@code input.*} and {@code expected.*} */
    public TensorSource weights() {
        return TensorSource.of(file).filter(n -> !n.startsWith(INPUT) && !n.startsWith(EXPECTED));
    }

    /**
     * @param expectedName an {@code expected.*} tensor
     * @return its stated tolerance, or null when the file states none (the family's default applies)
     */
    public Tolerance tolerance(String expectedName) {
        return tolerances.getOrDefault(expectedName, statedDefault ? defaultTolerance : null);
    }
}
