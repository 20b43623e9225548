package dev.unroll.processor.read;

import dev.unroll.annotations.RecurrentPass;
import dev.unroll.annotations.WeightFormat;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.spec.Diagnostic;
import dev.unroll.runtime.spec.Parameter;
import dev.unroll.runtime.spec.Violation;
import dev.unroll.runtime.transformer.HfConfig;
import dev.unroll.runtime.transformer.TransformerSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * Reads {@code @Transformer} and, on the same type, {@code @RecurrentPass} into raw values: the shape
 * from the members, or from the Hugging Face {@code config.json} that {@code config} names (its text
 * given by the front end as {@link #CONFIG_TEXT}), with the findings of that reading.
 */
public final class TransformerReader {
    /** The companion annotation. */
    public static final String RECURRENT_PASS = RecurrentPass.class.getCanonicalName();
    /** The member that names a configuration file. */
    public static final String CONFIG = "config";
    /** Not a member: the named file's text, added by the front end when it found the file. */
    public static final String CONFIG_TEXT = "config#text";
    /** Not a member: where the front end looked for a file it did not find. */
    public static final String CONFIG_WHERE = "config#where";
    /** The members a shape needs when no configuration is named (the annotation's 0 means "not written"). */
    private static final List<Parameter<?>> REQUIRED = List.of(TransformerSpec.LAYERS, TransformerSpec.WIDTH, TransformerSpec.HEADS,
            TransformerSpec.FFN_HIDDEN, TransformerSpec.VOCAB, TransformerSpec.MAX_SEQ);
    /** What may be written beside a configuration (the KV-cache capacity; weights and the companion are not shape). */
    private static final Set<Parameter<?>> BESIDE_CONFIG = Set.of(TransformerSpec.MAX_SEQ);

    private TransformerReader() {}

    /**
     * @param v the {@code @Transformer} values
     * @param recurrentPass the {@code @RecurrentPass} values on the same type, or null
     * @return the raw values
     */
    public static Raw read(MemberValues v, MemberValues recurrentPass) {
        TransformerSpec.Builder b = TransformerSpec.builder();
        List<Violation> found = new ArrayList<>();
        String config = v.values().get(CONFIG) instanceof String s ? s : "";
        if (config.isEmpty()) {
            for (Parameter<?> p : TransformerSpec.PARAMETERS) {
                b.setRaw(p, v.get(p));
            }
            for (Parameter<?> p : REQUIRED) {
                if (!v.explicit().contains(p.name())) {
                    found.add(new Violation(Diagnostic.MISSING_MEMBER, "", Diagnostic.MISSING_MEMBER.format(p.name())));
                }
            }
        } else {
            fromConfig(config, v, b, found);
        }
        if (recurrentPass != null) {
            b.block(recurrentPass.get(TransformerSpec.LOOP_START), recurrentPass.get(TransformerSpec.LOOP_END), recurrentPass.get(TransformerSpec.DEPTH));
        }
        return new Raw(b, WeightFormat.valueOf(v.getEnum("weights")), found);
    }

    private static void fromConfig(String config, MemberValues v, TransformerSpec.Builder b, List<Violation> found) {
        Object text = v.values().get(CONFIG_TEXT);
        if (!(text instanceof String json)) {
            found.add(new Violation(Diagnostic.CONFIG_NOT_FOUND, CONFIG, Diagnostic.CONFIG_NOT_FOUND.format(UnrollException.safe(config),
                    Objects.toString(v.values().get(CONFIG_WHERE), "not looked up"))));
            return;
        }
        TransformerSpec read;
        try {
            read = HfConfig.parse(json, config);
        } catch (UnrollException e) {
            found.add(new Violation(Diagnostic.CONFIG_UNSUPPORTED, CONFIG, Diagnostic.CONFIG_UNSUPPORTED.format(e.getMessage())));
            return;
        }
        for (Parameter<?> p : TransformerSpec.PARAMETERS) {
            Object fromFile = read.get(p);
            b.setRaw(p, fromFile);
            if (!v.explicit().contains(p.name())) {
                continue;
            }
            Object written = v.get(p);
            if (BESIDE_CONFIG.contains(p)) {
                b.setRaw(p, written);
            } else if (!written.equals(fromFile)) {
                found.add(new Violation(Diagnostic.CONFIG_CONFLICT, p.name(), Diagnostic.CONFIG_CONFLICT.format(p.name(), p.toSource(written),
                        UnrollException.safe(config), p.referenceKey() == null ? p.name() : p.referenceKey(), p.toSource(fromFile))));
            }
        }
    }

    /**
     * The raw values of a {@code @Transformer}.
     *
     * @param spec the decoder's shape, unchecked
     * @param weights how the kernels store the matrices
     * @param read what reading found wrong before the rules run: a required member missing, a configuration
     *     file not found, unsupported or contradicted (the rules run only when it is empty)
     */
    public record Raw(TransformerSpec.Builder spec, WeightFormat weights, List<Violation> read) {
        /**
         * @param spec the shape
         * @param weights the weights format
         * @param read the reading's findings
         */
        public Raw {
            read = List.copyOf(read);
        }
    }
}
