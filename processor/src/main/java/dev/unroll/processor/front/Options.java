package dev.unroll.processor.front;

import java.util.Map;
import java.util.Set;

/**
 * The processor's options ({@code -Akey=value}).
 *
 * @param registry whether to write the ServiceLoader registration files ({@value #REGISTRY}, default true)
 * @param debug whether an internal error carries its stack trace ({@value #DEBUG}, default false)
 */
public record Options(boolean registry, boolean debug) {
    /** {@code -Aunroll.registry=false} skips the ServiceLoader files, which makes the processor isolating for Gradle. */
    public static final String REGISTRY = "unroll.registry";
    /** {@code -Aunroll.debug=true} adds the stack trace to an {@code [Unroll/InternalError]}. */
    public static final String DEBUG = "unroll.debug";

    /**
     * @param options javac's {@code -A} options
     * @return the processor's
     */
    public static Options of(Map<String, String> options) {
        return new Options(!"false".equals(options.get(REGISTRY)), "true".equals(options.get(DEBUG)));
    }

    /** @return the option names javac should accept, and how Gradle may treat the processor incrementally */
    public Set<String> supported() {
        return Set.of(REGISTRY, DEBUG, registry ? "org.gradle.annotation.processing.aggregating" : "org.gradle.annotation.processing.isolating");
    }
}
