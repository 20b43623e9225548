package dev.unroll.processor.read;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.ExecutableElement;
import javax.lang.model.element.VariableElement;
import javax.lang.model.util.Elements;

/**
 * The member values of one annotation, defaults included, with the set of members written
 * explicitly and each explicit member's {@link AnnotationValue} (the anchor for diagnostics).
 * Enum constants become their names; erroneous values (javac reports those itself) are recorded so
 * that the processor generates nothing rather than crash.
 */
public final class AnnotationValues {
    private final AnnotationMirror mirror;
    private final Map<String, Object> values;
    private final Map<String, AnnotationValue> explicit;
    private final boolean erroneous;

    private AnnotationValues(AnnotationMirror mirror, Map<String, Object> values, Map<String, AnnotationValue> explicit, boolean erroneous) {
        this.mirror = mirror;
        this.values = values;
        this.explicit = explicit;
        this.erroneous = erroneous;
    }

    /**
     * @param mirror the annotation
     * @param elements javac's element utilities
     * @return its values
     */
    public static AnnotationValues read(AnnotationMirror mirror, Elements elements) {
        Map<String, Object> values = new LinkedHashMap<>();
        Map<String, AnnotationValue> explicit = new LinkedHashMap<>();
        boolean erroneous = false;
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e : elements.getElementValuesWithDefaults(mirror).entrySet()) {
            Object v = unwrap(e.getValue());
            if (v == null) {
                erroneous = true;
            }
            values.put(e.getKey().getSimpleName().toString(), v);
        }
        for (Map.Entry<? extends ExecutableElement, ? extends AnnotationValue> e : mirror.getElementValues().entrySet()) {
            explicit.put(e.getKey().getSimpleName().toString(), e.getValue());
        }
        return new AnnotationValues(mirror, values, explicit, erroneous);
    }

    private static Object unwrap(AnnotationValue av) {
        Object v = av.getValue();
        if (v instanceof VariableElement ve) {
            return ve.getSimpleName().toString();
        }
        if (v instanceof Number || v instanceof Boolean || v instanceof String) {
            return v instanceof String s && s.contains("<error>") ? null : v;
        }
        return null;
    }

    /** @return the annotation */
    public AnnotationMirror mirror() {
        return mirror;
    }

    /** @return whether some value did not resolve (javac has reported it) */
    public boolean erroneous() {
        return erroneous;
    }

    /** @return names of the members written explicitly */
    public Set<String> explicit() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(explicit.keySet()));
    }

    /**
     * @param member a member name
     * @return its value as written, or null when defaulted
     */
    public AnnotationValue anchor(String member) {
        return explicit.get(member);
    }

    /** @return the values as plain data, for a family's reader */
    public MemberValues members() {
        return new MemberValues(values, explicit.keySet());
    }

    /**
     * @param member name
     * @return whether the annotation type declares it
     */
    public boolean has(String member) {
        return values.containsKey(member);
    }
}
