package example;

/** User code that refers to a generated class, as any user of the layer does. */
public final class Use {
    private Use() {}

    /** @return the layer's report */
    public static String report() {
        return Models_SmallLayer.seeded().implementation();
    }
}
