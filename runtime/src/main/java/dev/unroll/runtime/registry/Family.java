package dev.unroll.runtime.registry;

import dev.unroll.runtime.UnrollException;
import java.util.Locale;

/** The model families Unroll generates kernels for. */
public enum Family {
    /** {@code @LinearAttention}: the generated class is a layer, {@code FooLayer}. */
    LINEAR_ATTENTION("linear-attention"),
    /** {@code @TinyRecursiveModel}: the generated class is a model, {@code FooModel}. */
    TRM("trm"),
    /** {@code @Transformer}: the generated class is a model, {@code FooModel}. */
    TRANSFORMER("transformer");

    private final String id;

    Family(String id) {
        this.id = id;
    }

    /** @return the name golden files and the command line use, e.g. {@code linear-attention} */
    public String id() {
        return id;
    }

    /**
     * @param id a family's {@link #id()}
     * @return the family
     * @throws UnrollException naming the known ids when there is none of that name
     */
    public static Family byId(String id) {
        for (Family f : values()) {
            if (f.id.equals(id)) {
                return f;
            }
        }
        throw new UnrollException("unknown family \"" + id + "\" (known: linear-attention, trm, transformer)");
    }

    @Override
    public String toString() {
        return id.toLowerCase(Locale.ROOT);
    }
}
