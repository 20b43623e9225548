package dev.unroll.processor.family;

import java.util.List;

/** The families the processor knows, in processing order. */
public final class Families {
    private Families() {}

    /** @return every family */
    public static List<Family<?, ?, ?>> all() {
        return List.of(new LinearAttentionFamily(), new TrmFamily(), new TransformerFamily());
    }
}
