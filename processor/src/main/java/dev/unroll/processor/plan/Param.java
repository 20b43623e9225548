package dev.unroll.processor.plan;

import dev.unroll.annotations.WeightFormat;
import java.util.List;

/**
 * A kernel method parameter.
 *
 * @param type type
 * @param name name
 * @param doc javadoc text
 */
public record Param(Type type, String name, String doc) {
    /**
     * A weight matrix's parameters: its array in {@code format}, and for Q8 and Q4 its block scales
     * (named by {@link #scales}).
     *
     * @param name the matrix
     * @param doc what it is
     * @param format how it is stored
     * @return one parameter, or two for Q8 and Q4
     */
    public static List<Param> matrix(String name, String doc, WeightFormat format) {
        return switch (format) {
            case F32 -> List.of(new Param(Type.REAL_ARRAY, name, doc));
            case BF16 -> List.of(new Param(Type.INT_ARRAY, name, doc + ", BF16 pairs in panels of 64 rows"));
            case Q8 -> List.of(new Param(Type.BYTE_ARRAY, name, doc + ", Q8 codes in panels of 64 rows"),
                    new Param(Type.REAL_ARRAY, scales(name), doc + ": Q8 block scales"));
            case Q4 -> List.of(new Param(Type.BYTE_ARRAY, name, doc + ", Q4 code pairs in panels of 64 rows"),
                    new Param(Type.REAL_ARRAY, scales(name), doc + ": Q4 block scales"));
        };
    }

    /**
     * @param matrix a Q8 or Q4 matrix parameter
     * @return the parameter holding its block scales
     */
    public static String scales(String matrix) {
        return matrix + "Scale";
    }
}
