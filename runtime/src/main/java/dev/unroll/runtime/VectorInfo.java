package dev.unroll.runtime;

/** Reads the preferred vector size without linking the incubator module when it is absent. */
final class VectorInfo {
    private VectorInfo() {}

    static int preferredBits() {
        try {
            Class<?> species = Class.forName("jdk.incubator.vector.FloatVector");
            Object preferred = species.getField("SPECIES_PREFERRED").get(null);
            return (Integer) preferred.getClass().getMethod("vectorBitSize").invoke(preferred);
        } catch (ReflectiveOperationException | LinkageError e) {
            return 0;
        }
    }
}
