package dev.unroll.processor;

import com.google.auto.service.AutoService;
import com.palantir.javapoet.JavaFile;
import dev.unroll.annotations.UnrollGenerated;
import dev.unroll.processor.check.PlanCheck;
import dev.unroll.processor.emit.Emitted;
import dev.unroll.processor.emit.Environment;
import dev.unroll.processor.family.Families;
import dev.unroll.processor.family.Family;
import dev.unroll.processor.model.DescriptorSource;
import dev.unroll.processor.plan.FamilyPlan;
import dev.unroll.processor.read.AnnotationValues;
import dev.unroll.runtime.spec.Diagnostic;
import dev.unroll.runtime.spec.Violation;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.Filer;
import javax.annotation.processing.Messager;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.AnnotationValue;
import javax.lang.model.element.Element;
import javax.lang.model.element.ElementKind;
import javax.lang.model.element.ModuleElement;
import javax.lang.model.element.NestingKind;
import javax.lang.model.element.PackageElement;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic.Kind;
import javax.tools.FileObject;
import javax.tools.StandardLocation;

/**
 * The Unroll annotation processor. For each annotated descriptor it runs the family's stages
 * (read, validate, describe, plan, emit), reporting every validation finding on the annotation
 * member at fault and generating nothing for a descriptor with errors. It never lets an exception
 * escape into javac: an internal failure becomes one error on the element.
 *
 * <p>Options: {@code -Aunroll.registry=false} skips the ServiceLoader registration file, which
 * makes the processor isolating for Gradle's incremental compilation (with it, the processor is
 * aggregating: one services file lists every descriptor).
 */
@AutoService(Processor.class)
public final class UnrollProcessor extends AbstractProcessor {
    /** Option that turns the ServiceLoader registry file off. */
    public static final String REGISTRY_OPTION = "unroll.registry";
    static final String SERVICES = "META-INF/services/";
    static final String UNROLL_GENERATED = UnrollGenerated.class.getCanonicalName();
    private static final String JAVAX_GENERATED = "javax.annotation.processing.Generated";

    /** Service interface to the providers this compilation registers. */
    private final java.util.Map<String, Set<String>> providers = new java.util.TreeMap<>();
    private Messager messager;
    private Filer filer;
    private boolean vectorApi;
    private boolean tornadoApi;
    /** The types this round compiles from source. */
    private Set<Element> roots = Set.of();

    @Override
    public synchronized void init(ProcessingEnvironment env) {
        super.init(env);
        messager = env.getMessager();
        filer = env.getFiler();
        vectorApi = env.getElementUtils().getTypeElement("jdk.incubator.vector.FloatVector") != null;
        tornadoApi = env.getElementUtils().getTypeElement("uk.ac.manchester.tornado.api.annotations.Parallel") != null;
    }

    @Override
    public Set<String> getSupportedAnnotationTypes() {
        Set<String> names = new LinkedHashSet<>();
        for (Family<?, ?, ?> f : Families.all()) {
            names.add(f.annotation());
            names.addAll(f.companions());
        }
        // the marker on our own output; javax.annotation.processing.Generated is left to other processors
        names.add(UNROLL_GENERATED);
        return names;
    }

    @Override
    public SourceVersion getSupportedSourceVersion() {
        return SourceVersion.latestSupported();
    }

    @Override
    public Set<String> getSupportedOptions() {
        boolean registry = registryEnabled();
        return Set.of(REGISTRY_OPTION, registry ? "org.gradle.annotation.processing.aggregating" : "org.gradle.annotation.processing.isolating");
    }

    private boolean registryEnabled() {
        return processingEnv == null || !"false".equals(processingEnv.getOptions().get(REGISTRY_OPTION));
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        roots = new java.util.HashSet<>(round.getRootElements());
        for (Family<?, ?, ?> family : Families.all()) {
            TypeElement annotation = processingEnv.getElementUtils().getTypeElement(family.annotation());
            if (annotation == null) {
                continue;
            }
            for (Element e : round.getElementsAnnotatedWith(annotation)) {
                processElement(family, annotation, e);
            }
        }
        for (Family<?, ?, ?> family : Families.all()) {
            checkCompanions(family, round);
        }
        if (round.processingOver() && registryEnabled() && !providers.isEmpty()) {
            for (var e : providers.entrySet()) {
                writeServices(SERVICES + e.getKey(), e.getValue());
            }
        }
        return true;
    }

    /** A companion annotation (such as {@code @RecurrentPass}) without its family's annotation does nothing: an error. */
    private void checkCompanions(Family<?, ?, ?> family, RoundEnvironment round) {
        TypeElement main = processingEnv.getElementUtils().getTypeElement(family.annotation());
        for (String name : family.companions()) {
            TypeElement companion = processingEnv.getElementUtils().getTypeElement(name);
            if (companion == null || main == null) {
                continue;
            }
            for (Element e : round.getElementsAnnotatedWith(companion)) {
                if (mirrorOf(e, main) == null) {
                    error(e, mirrorOf(e, companion), null, Diagnostic.MISSING_COMPANION.format(companion.getSimpleName(), main.getSimpleName()));
                }
            }
        }
    }

    private <R, D, P extends FamilyPlan> void processElement(Family<R, D, P> family, TypeElement annotation, Element e) {
        AnnotationMirror mirror = mirrorOf(e, annotation);
        try {
            if (!(e instanceof TypeElement type) || !isTypeKind(e.getKind())) {
                error(e, mirror, null, Diagnostic.BAD_TARGET.format("@" + annotation.getSimpleName() + " goes on a class, interface, enum or record"));
                return;
            }
            if (type.getNestingKind() == NestingKind.LOCAL || type.getNestingKind() == NestingKind.ANONYMOUS) {
                error(e, mirror, null, Diagnostic.BAD_TARGET.format("@" + annotation.getSimpleName() + " cannot go on a local or anonymous class"));
                return;
            }
            String other = otherFamily(family, type);
            if (other != null) {
                // reported once, by the family listed first
                if (firstFamily(type).equals(family.annotation())) {
                    error(e, mirror, null, Diagnostic.CONFLICTING_ANNOTATIONS.format(simpleName(family.annotation()), simpleName(other)));
                }
                return;
            }
            AnnotationValues values = AnnotationValues.read(mirror, processingEnv.getElementUtils());
            if (values.erroneous()) {
                return; // javac has reported the broken value
            }
            R raw = family.read(values, type, processingEnv.getElementUtils());
            List<Violation> findings = family.validate(raw, values);
            boolean errors = false;
            for (Violation v : findings) {
                report(type, mirror, values, v);
                errors |= v.isError();
            }
            if (errors) {
                return;
            }
            D descriptor = family.describe(raw, source(type, annotation));
            P plan = family.plan(descriptor);
            List<Violation> planFindings = PlanCheck.check(plan.kernels());
            for (Violation v : planFindings) {
                report(type, mirror, values, v);
            }
            if (!planFindings.isEmpty()) {
                return;
            }
            Emitted out = family.emit(plan, environment(type));
            List<JavaFile> toWrite = new ArrayList<>();
            for (JavaFile f : out.files()) {
                String name = f.packageName().isEmpty() ? f.typeSpec().name() : f.packageName() + "." + f.typeSpec().name();
                TypeElement existing = processingEnv.getElementUtils().getTypeElement(name);
                if (existing == null) {
                    toWrite.add(f);
                } else if (!generatedFrom(existing, type.getQualifiedName().toString())) {
                    error(e, mirror, null, Diagnostic.NAME_CLASH.format(name));
                    return;
                } else if (!roots.contains(existing)) {
                    // our own output of an earlier build on the class path or source path: replaced
                    toWrite.add(f);
                } else {
                    // our own earlier output is one of this compilation's sources (an IDE's generated-sources folder):
                    // the Filer cannot recreate it, which is fine while it is what the descriptor generates now
                    String stale = staleSource(existing, f);
                    if (stale != null) {
                        error(e, mirror, null, Diagnostic.STALE_OUTPUT.format(name, stale));
                        return;
                    }
                }
            }
            for (JavaFile f : toWrite) {
                String name = f.packageName().isEmpty() ? f.typeSpec().name() : f.packageName() + "." + f.typeSpec().name();
                try (Writer w = filer.createSourceFile(name, type).openWriter()) {
                    f.writeTo(w);
                }
            }
            for (Emitted.Service service : out.services()) {
                providers.computeIfAbsent(service.contract(), k -> new TreeSet<>()).add(service.provider());
            }
        } catch (IOException | RuntimeException | StackOverflowError | OutOfMemoryError ex) {
            // never into javac: a failure of ours is one error on the descriptor
            error(e, mirror, null, "[Unroll/InternalError] could not generate kernels for " + e + ": " + ex
                    + " (please report this with the descriptor)");
        }
    }

    /** @return another family's annotation on the type, or null */
    private String otherFamily(Family<?, ?, ?> family, TypeElement type) {
        for (Family<?, ?, ?> f : Families.all()) {
            if (f != family && f.getClass() != family.getClass() && annotated(type, f.annotation())) {
                return f.annotation();
            }
        }
        return null;
    }

    /** @return the first family (in {@link Families#all()} order) whose annotation the type carries */
    private String firstFamily(TypeElement type) {
        for (Family<?, ?, ?> f : Families.all()) {
            if (annotated(type, f.annotation())) {
                return f.annotation();
            }
        }
        return "";
    }

    private static boolean annotated(TypeElement type, String annotation) {
        for (AnnotationMirror m : type.getAnnotationMirrors()) {
            if (((TypeElement) m.getAnnotationType().asElement()).getQualifiedName().contentEquals(annotation)) {
                return true;
            }
        }
        return false;
    }

    private static String simpleName(String qualified) {
        return qualified.substring(qualified.lastIndexOf('.') + 1);
    }

    /**
     * What this descriptor's compilation can see. In a named module only what the module reads: the SIMD
     * flavour needs {@code jdk.incubator.vector}, the TornadoVM classes {@code tornado.api}, and
     * {@code @Generated} {@code java.compiler}; a module that does not require them gets code without them.
     */
    private Environment environment(TypeElement type) {
        var elements = processingEnv.getElementUtils();
        ModuleElement module = elements.getModuleOf(type);
        if (module == null || module.isUnnamed()) {
            return new Environment(vectorApi, tornadoApi, elements.getTypeElement(JAVAX_GENERATED) != null);
        }
        return new Environment(vectorApi && reads(module, "jdk.incubator.vector"), tornadoApi && reads(module, "tornado.api"),
                reads(module, "java.compiler"));
    }

    /** Whether a named module requires the module, directly or through a transitive requirement. */
    private static boolean reads(ModuleElement module, String name) {
        java.util.Deque<ModuleElement> todo = new java.util.ArrayDeque<>(List.of(module));
        Set<String> seen = new java.util.HashSet<>();
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

    /**
     * @param existing an earlier output of ours that this compilation compiles as a source
     * @param now what the descriptor generates now
     * @return null when the source is what the descriptor generates now, else where it lives (for the message)
     */
    private String staleSource(TypeElement existing, JavaFile now) {
        try {
            var path = com.sun.source.util.Trees.instance(processingEnv).getPath(existing);
            javax.tools.JavaFileObject source = path.getCompilationUnit().getSourceFile();
            return source.getCharContent(true).toString().equals(now.toString()) ? null : source.toUri().getPath();
        } catch (IOException | RuntimeException ex) {
            return "a generated-sources folder of an earlier build";
        }
    }

    /** @return whether the type carries {@code @UnrollGenerated(descriptor)}: Unroll's own earlier output */
    private static boolean generatedFrom(TypeElement existing, String descriptor) {
        for (AnnotationMirror m : existing.getAnnotationMirrors()) {
            if (m.getAnnotationType().toString().equals(UNROLL_GENERATED)) {
                for (var v : m.getElementValues().entrySet()) {
                    if (v.getKey().getSimpleName().contentEquals("value") && descriptor.equals(v.getValue().getValue())) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static boolean isTypeKind(ElementKind k) {
        return k == ElementKind.CLASS || k == ElementKind.INTERFACE || k == ElementKind.ENUM || k.name().equals("RECORD");
    }

    private static AnnotationMirror mirrorOf(Element e, TypeElement annotation) {
        for (AnnotationMirror m : e.getAnnotationMirrors()) {
            if (m.getAnnotationType().asElement().equals(annotation)) {
                return m;
            }
        }
        return null;
    }

    private DescriptorSource source(TypeElement type, TypeElement annotation) {
        PackageElement pkg = processingEnv.getElementUtils().getPackageOf(type);
        String pkgName = pkg.isUnnamed() ? "" : pkg.getQualifiedName().toString();
        List<String> names = new ArrayList<>();
        Element cur = type;
        while (cur instanceof TypeElement t) {
            names.add(0, t.getSimpleName().toString());
            cur = t.getEnclosingElement();
        }
        return new DescriptorSource(type.getQualifiedName().toString(), pkgName, String.join("_", names), annotation.getSimpleName().toString());
    }

    private void report(Element e, AnnotationMirror mirror, AnnotationValues values, Violation v) {
        AnnotationValue anchor = v.member().isEmpty() ? null : values.anchor(v.member());
        if (anchor == null && !v.member().isEmpty()) {
            // a member of a companion annotation on the same type (e.g. @RecurrentPass)
            for (AnnotationMirror other : e.getAnnotationMirrors()) {
                if (other != mirror && other.getAnnotationType().toString().startsWith("dev.unroll.annotations.")) {
                    AnnotationValue a = AnnotationValues.read(other, processingEnv.getElementUtils()).anchor(v.member());
                    if (a != null) {
                        mirror = other;
                        anchor = a;
                        break;
                    }
                }
            }
        }
        Kind kind = v.isError() ? Kind.ERROR : Kind.WARNING;
        if (anchor != null) {
            messager.printMessage(kind, v.message(), e, mirror, anchor);
        } else {
            messager.printMessage(kind, v.message(), e, mirror);
        }
    }

    private void error(Element e, AnnotationMirror mirror, AnnotationValue value, String message) {
        if (mirror == null) {
            messager.printMessage(Kind.ERROR, message, e);
        } else if (value == null) {
            messager.printMessage(Kind.ERROR, message, e, mirror);
        } else {
            messager.printMessage(Kind.ERROR, message, e, mirror, value);
        }
    }

    private void writeServices(String file, Set<String> providers) {
        Set<String> all = new TreeSet<>(providers);
        try {
            FileObject existing = filer.getResource(StandardLocation.CLASS_OUTPUT, "", file);
            try (BufferedReader r = new BufferedReader(new InputStreamReader(existing.openInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    line = line.trim();
                    if (!line.isEmpty() && !line.startsWith("#")) {
                        all.add(line);
                    }
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // no previous file: a clean build
        }
        try {
            FileObject f = filer.createResource(StandardLocation.CLASS_OUTPUT, "", file);
            try (Writer w = f.openWriter()) {
                for (String p : all) {
                    w.write(p);
                    w.write('\n');
                }
            }
        } catch (IOException | RuntimeException ex) {
            messager.printMessage(Kind.ERROR, "[Unroll/InternalError] cannot write " + file + ": " + ex);
        }
    }
}
