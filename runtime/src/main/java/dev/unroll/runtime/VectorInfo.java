package dev.unroll.runtime;

/** Reads the preferred vector size without linking the incubator module when it is absent. */
final class VectorInfo {
    private VectorInfo() {}

    static int preferredBits() {
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
