package dev.unroll.processor;

import com.google.auto.service.AutoService;
import dev.unroll.annotations.UnrollGenerated;
import dev.unroll.processor.family.Families;
import dev.unroll.processor.family.Family;
import dev.unroll.processor.front.ConfigFiles;
import dev.unroll.processor.front.Descriptors;
import dev.unroll.processor.front.Options;
import dev.unroll.processor.front.Pipeline;
import dev.unroll.processor.front.Report;
import dev.unroll.processor.front.Reporter;
import dev.unroll.processor.front.SourceWriter;
import dev.unroll.processor.read.AnnotationValues;
import dev.unroll.processor.read.MemberValues;
import dev.unroll.runtime.spec.Diagnostic;
import dev.unroll.runtime.spec.Violation;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.annotation.processing.AbstractProcessor;
import javax.annotation.processing.ProcessingEnvironment;
import javax.annotation.processing.Processor;
import javax.annotation.processing.RoundEnvironment;
import javax.lang.model.SourceVersion;
import javax.lang.model.element.AnnotationMirror;
import javax.lang.model.element.Element;
import javax.lang.model.element.TypeElement;
import javax.tools.Diagnostic.Kind;

/**
 * The Unroll annotation processor, the front end of the stages: for each annotated descriptor it checks
 * the target, reads the annotation and its companions into plain values, runs the family's stages
 * ({@link Pipeline}: read, validate, describe, plan, check, emit, stopping at the first stage with
 * errors), prints the {@link Report} on the annotation members at fault, and hands the sources to the
 * {@link SourceWriter}. Nothing escapes into javac: a failure of Unroll's own is one
 * {@code [Unroll/InternalError]} on the descriptor.
 *
 * <p>Options ({@link Options}): {@code -Aunroll.registry=false} skips the ServiceLoader files (the processor
 * is then isolating for Gradle, otherwise aggregating); {@code -Aunroll.debug=true} adds stack traces to
 * internal errors.
 */
@AutoService(Processor.class)
public final class UnrollProcessor extends AbstractProcessor {
    /** Option that turns the ServiceLoader registry files off. */
    public static final String REGISTRY_OPTION = Options.REGISTRY;
    static final String UNROLL_GENERATED = UnrollGenerated.class.getCanonicalName();

    private Options options;
    private Descriptors descriptors;
    private Reporter reporter;
    private SourceWriter writer;

    @Override
    public synchronized void init(ProcessingEnvironment env) {
        super.init(env);
        options = Options.of(env.getOptions());
        descriptors = new Descriptors(env);
        reporter = new Reporter(env.getMessager());
        writer = new SourceWriter(env);
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
        return (options != null ? options : Options.of(Map.of())).supported();
    }

    @Override
    public boolean process(Set<? extends TypeElement> annotations, RoundEnvironment round) {
        Set<Element> roots = new HashSet<>(round.getRootElements());
        for (Family<?, ?, ?> family : Families.all()) {
            TypeElement annotation = processingEnv.getElementUtils().getTypeElement(family.annotation());
            if (annotation != null) {
                for (Element e : round.getElementsAnnotatedWith(annotation)) {
                    process(family, annotation, e, roots);
                }
            }
            companionsAlone(family, round);
        }
        if (round.processingOver() && options.registry() && writer.hasServices()) {
            for (String failure : writer.writeServices()) {
                processingEnv.getMessager().printMessage(Kind.ERROR, Diagnostic.INTERNAL_ERROR.format("the registry", failure, ""));
            }
        }
        return true;
    }

    private void process(Family<?, ?, ?> family, TypeElement annotation, Element e, Set<Element> roots) {
        AnnotationMirror mirror = Descriptors.mirror(e, family.annotation());
        AnnotationValues values = AnnotationValues.read(mirror, processingEnv.getElementUtils());
        Violation target = Descriptors.checkTarget(e, annotation.getSimpleName().toString());
        if (target != null) {
            reporter.print(e, values, List.of(), target);
            return;
        }
        TypeElement type = (TypeElement) e;
        String other = otherFamily(family, type);
        if (other != null) {
            // reported once, by the family listed first
            if (firstFamily(type).equals(family.annotation())) {
                reporter.print(e, values, List.of(), new Violation(Diagnostic.CONFLICTING_ANNOTATIONS, "",
                        Diagnostic.CONFLICTING_ANNOTATIONS.format(simpleName(family.annotation()), simpleName(other))));
            }
            return;
        }
        List<AnnotationValues> companions = new ArrayList<>();
        Map<String, MemberValues> companionMembers = new LinkedHashMap<>();
        for (String c : family.companions()) {
            AnnotationMirror m = Descriptors.mirror(type, c);
            if (m != null) {
                AnnotationValues cv = AnnotationValues.read(m, processingEnv.getElementUtils());
                if (cv.erroneous()) {
                    return; // javac has reported the broken value
                }
                companions.add(cv);
                companionMembers.put(c, cv.members());
            }
        }
        if (values.erroneous()) {
            return; // javac has reported the broken value
        }
        // a configuration file the descriptor names is read here, through the Filer: the families see its text only
        Pipeline.Outcome out = Pipeline.run(family, ConfigFiles.withConfig(processingEnv.getFiler(), values.members()), companionMembers,
                descriptors.source(type, annotation.getSimpleName().toString()), descriptors.environment(type), options);
        reporter.print(e, values, companions, out.report());
        if (out.emitted() != null) {
            try {
                Violation stopped = writer.write(type, out.emitted(), roots);
                if (stopped != null) {
                    reporter.print(e, values, companions, stopped);
                }
            } catch (IOException | RuntimeException ex) {
                reporter.print(e, values, companions, Report.internalError(type.getQualifiedName().toString(), ex, options.debug()));
            }
        }
    }

    /** A companion annotation (such as {@code @RecurrentPass}) without its family's annotation does nothing: an error. */
    private void companionsAlone(Family<?, ?, ?> family, RoundEnvironment round) {
        TypeElement main = processingEnv.getElementUtils().getTypeElement(family.annotation());
        for (String name : family.companions()) {
            TypeElement companion = processingEnv.getElementUtils().getTypeElement(name);
            if (companion == null || main == null) {
                continue;
            }
            for (Element e : round.getElementsAnnotatedWith(companion)) {
                if (Descriptors.mirror(e, family.annotation()) == null) {
                    AnnotationValues cv = AnnotationValues.read(Descriptors.mirror(e, name), processingEnv.getElementUtils());
                    reporter.print(e, cv, List.of(), new Violation(Diagnostic.MISSING_COMPANION, "",
                            Diagnostic.MISSING_COMPANION.format(companion.getSimpleName(), main.getSimpleName())));
                }
            }
        }
    }

    /** @return another family's annotation on the type, or null */
    private static String otherFamily(Family<?, ?, ?> family, TypeElement type) {
        for (Family<?, ?, ?> f : Families.all()) {
            if (f != family && Descriptors.mirror(type, f.annotation()) != null) {
                return f.annotation();
            }
        }
        return null;
    }

    /** @return the first family (in {@link Families#all()} order) whose annotation the type carries */
    private static String firstFamily(TypeElement type) {
        for (Family<?, ?, ?> f : Families.all()) {
            if (Descriptors.mirror(type, f.annotation()) != null) {
                return f.annotation();
            }
        }
        return "";
    }

    private static String simpleName(String qualified) {
        return qualified.substring(qualified.lastIndexOf('.') + 1);
    }
}
