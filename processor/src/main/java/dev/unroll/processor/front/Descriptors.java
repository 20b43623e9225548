package dev.unroll.processor.front;

import dev.unroll.processor.emit.Environment;
import dev.unroll.processor.model.DescriptorSource;
import dev.unroll.runtime.spec.Diagnostic;
import dev.unroll.runtime.spec.Violation;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import javax.annotation.processing.ProcessingEnvironment;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ModuleElement;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;

/**
 * What the front end reads off an annotated element for the stages: whether it can carry a descriptor,
 * where it was declared, and what its compilation can see. The one place besides the reader of
 * annotation values that meets {@code javax.lang.model}.
 */
public final class Descriptors {
    private static final String JAVAX_GENERATED = "javax.annotation.processing.Generated";

    private final ProcessingEnvironment env;
    private final boolean vectorApi;
    private final boolean tornadoApi;

    /** @param env the processing environment */
    public Descriptors(ProcessingEnvironment env) {
        this.env = env;
        this.vectorApi = env.getElementUtils().getTypeElement("jdk.incubator.vector.FloatVector") != null;
        this.tornadoApi = env.getElementUtils().getTypeElement("uk.ac.manchester.tornado.api.annotations.Parallel") != null;
    }

    /**
     * @param e an element carrying a family annotation
     * @param annotation the annotation's simple name
     * @return null when it can carry a descriptor, else the finding ({@code BadTarget})
     */
    public static Violation checkTarget(Element e, String annotation) {
        if (!(e instanceof TypeElement type) || !isTypeKind(e.getKind())) {
            return new Violation(Diagnostic.BAD_TARGET, "", Diagnostic.BAD_TARGET.format("@" + annotation + " goes on a class, interface, enum or record"));
        }
        if (type.getNestingKind() == NestingKind.LOCAL || type.getNestingKind() == NestingKind.ANONYMOUS) {
            return new Violation(Diagnostic.BAD_TARGET, "", Diagnostic.BAD_TARGET.format("@" + annotation + " cannot go on a local or anonymous class"));
        }
        return null;
    }

    /**
     * @param type the annotated type
     * @param annotation the family annotation's simple name
     * @return where the descriptor was declared, as plain strings
     */
    public DescriptorSource source(TypeElement type, String annotation) {
        PackageElement pkg = env.getElementUtils().getPackageOf(type);
        String pkgName = pkg.isUnnamed() ? "" : pkg.getQualifiedName().toString();
        List<String> names = new ArrayList<>();
        Element cur = type;
        while (cur instanceof TypeElement t) {
            names.add(0, t.getSimpleName().toString());
            cur = t.getEnclosingElement();
        }
        return new DescriptorSource(type.getQualifiedName().toString(), pkgName, String.join("_", names), annotation);
    }

    /**
     * What this descriptor's compilation can see. In a named module only what the module reads: the SIMD
     * flavour needs {@code jdk.incubator.vector}, the TornadoVM classes {@code tornado.api}, and
     * {@code @Generated} {@code java.compiler}; a module that does not require them gets code without them.
     *
     * @param type the annotated type
     * @return its view
     */
    public Environment environment(TypeElement type) {
        var elements = env.getElementUtils();
        ModuleElement module = elements.getModuleOf(type);
        if (module == null || module.isUnnamed()) {
            return new Environment(vectorApi, tornadoApi, elements.getTypeElement(JAVAX_GENERATED) != null);
        }
        return new Environment(vectorApi && reads(module, "jdk.incubator.vector"), tornadoApi && reads(module, "tornado.api"),
                reads(module, "java.compiler"));
    }

    /**
     * @param e an element
     * @param annotation an annotation's qualified name
     * @return its mirror on the element, or null
     */
    public static AnnotationMirror mirror(Element e, String annotation) {
        for (AnnotationMirror m : e.getAnnotationMirrors()) {
            if (((TypeElement) m.getAnnotationType().asElement()).getQualifiedName().contentEquals(annotation)) {
                return m;
            }
        }
        return null;
    }

    /** Whether a named module requires the module, directly or through a transitive requirement. */
    private static boolean reads(ModuleElement module, String name) {
        Deque<ModuleElement> todo = new ArrayDeque<>(List.of(module));
        Set<String> seen = new HashSet<>();
        while (!todo.isEmpty()) {
            ModuleElement m = todo.pop();
            if (!seen.add(m.getQualifiedName().toString())) {
                continue;
            }
            for (ModuleElement.Directive d : m.getDirectives()) {
                if (d instanceof ModuleElement.RequiresDirective r && (m == module || r.isTransitive())) {
                    if (r.getDependency().getQualifiedName().contentEquals(name)) {
                        return true;
                    }
                    todo.push(r.getDependency());
                }
            }
        }
        return false;
    }

    private static boolean isTypeKind(ElementKind k) {
        return k == ElementKind.CLASS || k == ElementKind.INTERFACE || k == ElementKind.ENUM || k.name().equals("RECORD");
    }
}
