package dev.unroll.runtime.internal;

/** Reads the preferred vector size without linking the incubator module when it is absent. */
public final class VectorInfo {
    private VectorInfo() {}

    /** @return the preferred species's bit size, or 0 when the Vector API is not present */
    public static int preferredBits() {
        try {
            Class<?> vector = Class.forName("jdk.incubator.vector.FloatVector");
            Class<?> species = Class.forName("jdk.incubator.vector.VectorSpecies");
            Object preferred = vector.getField("SPECIES_PREFERRED").get(null);
            return (Integer) species.getMethod("vectorBitSize").invoke(preferred);
        } catch (ReflectiveOperationException | LinkageError e) {
            return 0;
        }
    }
}
