package dev.unroll.flink;

import dev.unroll.flink.example.SensorFeaturesLayer;
import dev.unroll.runtime.UnrollException;

/**
 * What a task on this JVM would run for the example layer's job (SIMD flavour), for
 * {@link LayerSourceTest}'s JVM without {@code jdk.incubator.vector}: prints {@code runs ...} or
 * {@code fails: ...}.
 */
public final class FlavourProbe {
    private FlavourProbe() {}

    /** @param args {@code FAIL} or {@code WARN} */
    public static void main(String[] args) {
        LayerSource source = LayerSource.seeded(SensorFeaturesLayer.SPEC).ifFlavourUnavailable(IfFlavourUnavailable.valueOf(args[0]));
        System.out.println("job flavour " + source.flavour());
        try {
            TaskLayer t = source.taskLayer();
            System.out.println("runs " + t.layer().implementation() + "; warning: " + t.warning());
        } catch (UnrollException e) {
            System.out.println("fails: " + e.getMessage());
        }
    }
}
