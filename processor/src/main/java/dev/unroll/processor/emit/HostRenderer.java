package dev.unroll.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.unroll.annotations.WeightFormat;
import dev.unroll.processor.host.HostClass;
import dev.unroll.processor.host.HostField;
import dev.unroll.processor.host.HostMethod;
import dev.unroll.processor.host.HostStep;
import dev.unroll.processor.host.Tornado;
import dev.unroll.processor.plan.KernelMethod;
import dev.unroll.processor.plan.KernelPlan;
import dev.unroll.processor.plan.Param;
import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.codegen.Host;
import dev.unroll.runtime.transformer.HookPoint;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.lang.model.element.Modifier;

/**
 * Writes a {@link HostClass}, the same way for every family: a layer or model class, or its TornadoVM
 * glue. In a layer or model the flavour is chosen once per object: an {@code Ops} interface declares the
 * kernel methods the host steps call, {@code ScalarOps} and {@code SimdOps} forward them to the scalar and
 * SIMD kernel classes, and every constructor ends by picking one ({@code SimdOps} is loaded only when
 * chosen, so a JVM without the Vector API never links it); the renderer also adds {@code SIMD_GENERATED}.
 * In a glue the device steps become task-graph calls on the descriptor's TornadoVM kernel class. Both get
 * the nested {@code Provider} their registration names.
 */
public final class HostRenderer {
    private static final ClassName FLAVOUR = ClassName.get(Flavour.class);
    private static final ClassName HOST = ClassName.get(Host.class);
    private static final ClassName HOOK_POINT = ClassName.get(HookPoint.class);
    private static final ClassName OPS = ClassName.get("", "Ops");

    private final HostClass host;
    private final KernelPlan kernels;
    private final boolean simdGenerated;
    private final ClassName scalar;
    private final ClassName simd;
    private final ClassName device;

    /**
     * @param host the class to write
     * @param kernels the kernel plan its steps call into
     * @param simdGenerated whether the SIMD kernel class is generated
     */
    public HostRenderer(HostClass host, KernelPlan kernels, boolean simdGenerated) {
        this.host = host;
        this.kernels = kernels;
        this.simdGenerated = simdGenerated;
        this.scalar = ClassName.get(kernels.packageName(), kernels.scalarClass());
        this.simd = ClassName.get(kernels.packageName(), kernels.simdClass());
        this.device = ClassName.get(kernels.packageName(), kernels.deviceClass());
    }

    /** @return the binary name of the class's {@code Provider}, for the services file */
    public String providerBinaryName() {
        return host.name().reflectionName() + "$Provider";
    }

    /**
     * @param env what the compilation can see
     * @return the source file
     */
    public JavaFile render(Environment env) {
        TypeSpec.Builder t = TypeSpec.classBuilder(host.name()).addModifiers(Modifier.PUBLIC, Modifier.FINAL).addJavadoc(host.doc());
        if (host.base() != null) {
            t.superclass(host.base());
        }
        t.addSuperinterfaces(host.interfaces());
        if (host.isModel()) {
            t.addJavadoc(kernelsParagraph());
        }
        t.addJavadoc(host.notes());
        boolean flagAdded = !host.isModel();
        for (HostField f : host.fields()) {
            t.addField(field(f));
            if (f.role() == HostField.Role.DESCRIPTOR && !flagAdded) {
                t.addField(FieldSpec.builder(TypeName.BOOLEAN, "SIMD_GENERATED", Modifier.STATIC, Modifier.FINAL)
                        .addJavadoc("Whether {@code $L} was generated (jdk.incubator.vector was visible to the compiler).\n", simd.simpleName())
                        .initializer("$L", simdGenerated).build());
                flagAdded = true;
            }
        }
        Map<String, KernelMethod> used = usedKernels();
        if (!used.isEmpty()) {
            t.addField(FieldSpec.builder(OPS, "ops", Modifier.PRIVATE, Modifier.FINAL)
                    .addJavadoc("The kernels of this object's flavour, chosen once when it is built.\n").build());
        }
        for (HostMethod m : host.methods()) {
            t.addMethod(method(m, !used.isEmpty()));
        }
        if (!used.isEmpty()) {
            t.addType(ops(used));
            t.addType(forwarder("ScalarOps", scalar, "the scalar kernels ({@link $T})", used));
            if (simdGenerated) {
                t.addType(forwarder("SimdOps", simd, "the SIMD kernels ({@code $L}), loaded only when chosen", used));
            }
        }
        t.addType(host.registration() instanceof HostClass.Kernels k ? provider(k) : glueProvider((HostClass.Glue) host.registration()));
        return GeneratedFile.of(host.name().packageName(), t, kernels.annotatedType(), env, null);
    }

    /** The paragraph every generated class has: its kernel classes and how the flavour is chosen. */
    private CodeBlock kernelsParagraph() {
        return CodeBlock.of("\n<p>Kernels: {@link $T} (scalar)$L, called through {@code Ops}: the flavour is chosen once when the object is built\n"
                + "({@link $T#choose}) and reported by {@code implementation()}.\n", scalar,
                simdGenerated ? CodeBlock.of(" and {@code $L} (Vector API, same methods)", simd.simpleName())
                        : CodeBlock.of(" only (jdk.incubator.vector was not visible to the compiler)"), FLAVOUR);
    }

    private static FieldSpec field(HostField f) {
        FieldSpec.Builder b = FieldSpec.builder(f.type(), f.name(), f.modifiers().toArray(new Modifier[0])).addJavadoc(f.doc());
        if (f.init() != null) {
            b.initializer(f.init());
        }
        return b.build();
    }

    private MethodSpec method(HostMethod m, boolean hasOps) {
        MethodSpec.Builder b = m.constructor() ? MethodSpec.constructorBuilder() : MethodSpec.methodBuilder(m.name()).returns(m.returns());
        b.addModifiers(m.modifiers().toArray(new Modifier[0]));
        if (m.override()) {
            b.addAnnotation(Override.class);
        }
        if (!m.doc().isEmpty()) {
            b.addJavadoc(m.doc());
        }
        for (HostMethod.Param p : m.params()) {
            b.addParameter(p.type(), p.name());
        }
        b.addCode(steps(m.body()));
        if (m.constructor() && hasOps) {
            b.addStatement(simdGenerated ? "this.ops = simd() ? new SimdOps() : new ScalarOps()" : "this.ops = new ScalarOps()");
        }
        return b.build();
    }

    private CodeBlock steps(List<HostStep> steps) {
        CodeBlock.Builder c = CodeBlock.builder();
        for (HostStep s : steps) {
            c.add(step(s));
        }
        return c.build();
    }

    private CodeBlock step(HostStep s) {
        if (s instanceof HostStep.Let l) {
            return CodeBlock.of("final $T $L = $L;\n", l.type(), l.name(), l.init());
        }
        if (s instanceof HostStep.Kernel k) {
            return CodeBlock.of("$L;\n", call(k));
        }
        if (s instanceof HostStep.Parallel p) {
            return CodeBlock.of("$L;\n", parallel(p));
        }
        if (s instanceof HostStep.Run r) {
            return CodeBlock.of("$L;\n", r.statement());
        }
        if (s instanceof HostStep.Using u) {
            return CodeBlock.builder().beginControlFlow("try ($T $L = $L)", u.type(), u.name(), u.init()).add(steps(u.body()))
                    .endControlFlow().build();
        }
        if (s instanceof HostStep.Try t) {
            return CodeBlock.builder().beginControlFlow("try").add(steps(t.body())).nextControlFlow("catch ($T $L)", t.exception(), t.var())
                    .add(steps(t.handler())).endControlFlow().build();
        }
        if (s instanceof HostStep.Loop l) {
            return CodeBlock.builder()
                    .add(l.comment().isEmpty() ? CodeBlock.of("") : CodeBlock.of("// $L\n", l.comment()))
                    .beginControlFlow("for (int $L = $L; $L < $L; $L++)", l.var(), l.from(), l.var(), l.bound(), l.var())
                    .add(steps(l.body())).endControlFlow().build();
        }
        if (s instanceof HostStep.ForEach f) {
            return CodeBlock.builder().beginControlFlow("for ($T $L : $L)", f.type(), f.var(), f.array()).add(steps(f.body())).endControlFlow().build();
        }
        if (s instanceof HostStep.If i) {
            CodeBlock.Builder c = CodeBlock.builder().beginControlFlow("if ($L)", i.condition()).add(steps(i.then()));
            if (!i.otherwise().isEmpty()) {
                c.nextControlFlow("else").add(steps(i.otherwise()));
            }
            return c.endControlFlow().build();
        }
        if (s instanceof HostStep.Hook h) {
            return CodeBlock.builder().beginControlFlow("if (hooks != null)")
                    .addStatement("hooks.fire($T.$L, $L, $L, $L, $L)", HOOK_POINT, h.point(), h.layer(), h.pass(), h.pos(), h.value())
                    .endControlFlow().build();
        }
        if (s instanceof HostStep.Comment cm) {
            return CodeBlock.of("// $L\n", cm.text());
        }
        if (s instanceof HostStep.Task task) {
            return CodeBlock.of("$L.task($L, $T::$L, $L);\n", task.graph(), task.id(), device, task.kernel(), CodeBlock.join(task.args(), ", "));
        }
        if (s instanceof HostStep.Transfer tr) {
            return CodeBlock.of("$L.$L($T.$L, $L);\n", tr.graph(), tr.toDevice() ? "transferToDevice" : "transferToHost", Tornado.MODE,
                    tr.everyExecution() ? "EVERY_EXECUTION" : "FIRST_EXECUTION", CodeBlock.join(tr.arrays(), ", "));
        }
        if (s instanceof HostStep.Persist pe) {
            return CodeBlock.of("$L.persistOnDevice($L);\n", pe.graph(), CodeBlock.join(pe.arrays(), ", "));
        }
        HostStep.Return r = (HostStep.Return) s;
        return r.value() == null ? CodeBlock.of("return;\n") : CodeBlock.of("return $L;\n", r.value());
    }

    private static CodeBlock call(HostStep.Kernel k) {
        return CodeBlock.of("ops.$L($L)", k.kernel(), CodeBlock.join(k.args(), ", "));
    }

    private CodeBlock parallel(HostStep.Parallel p) {
        String params = String.join(", ", p.names());
        String lambda = p.names().size() == 1 ? params : "(" + params + ")";
        CodeBlock extents = CodeBlock.join(p.extents(), ", ");
        return switch (p.split()) {
            case EACH -> CodeBlock.of("$T.forEach($L, $L -> $L)", HOST, extents, lambda, call(p.call()));
            case ROWS -> CodeBlock.of("rows($L, $L -> $L)", extents, lambda, call(p.call()));
            case TILES -> CodeBlock.of("tiles($L, $L -> $L)", extents, lambda, call(p.call()));
            case PER_PUZZLE -> CodeBlock.of("perPuzzle($L, $L -> $L)", extents, lambda, call(p.call()));
            case PARTS -> CodeBlock.of("parts($L, $L -> $L)", extents, lambda, call(p.call()));
        };
    }

    /** @return the kernel methods the steps call, by name, in the kernel plan's order */
    private Map<String, KernelMethod> usedKernels() {
        java.util.Set<String> names = new java.util.HashSet<>();
        for (HostMethod m : host.methods()) {
            collect(m.body(), names);
        }
        Map<String, KernelMethod> used = new LinkedHashMap<>();
        for (KernelMethod k : kernels.methods()) {
            if (names.remove(k.name()) && !k.deviceOnly()) {
                used.put(k.name(), k);
            }
        }
        if (!names.isEmpty()) {
            throw new IllegalStateException("host steps call kernels the plan does not have: " + names);
        }
        return used;
    }

    private static void collect(List<HostStep> steps, java.util.Set<String> names) {
        for (HostStep s : steps) {
            if (s instanceof HostStep.Kernel k) {
                names.add(k.kernel());
            } else if (s instanceof HostStep.Parallel p) {
                names.add(p.call().kernel());
            } else if (s instanceof HostStep.Loop l) {
                collect(l.body(), names);
            } else if (s instanceof HostStep.ForEach f) {
                collect(f.body(), names);
            } else if (s instanceof HostStep.Using u) {
                collect(u.body(), names);
            } else if (s instanceof HostStep.Try t) {
                collect(t.body(), names);
                collect(t.handler(), names);
            } else if (s instanceof HostStep.If i) {
                collect(i.then(), names);
                collect(i.otherwise(), names);
            }
        }
    }

    private TypeSpec ops(Map<String, KernelMethod> used) {
        TypeSpec.Builder t = TypeSpec.interfaceBuilder(OPS).addModifiers(Modifier.PRIVATE)
                .addJavadoc("The kernel methods the host code calls, in one flavour: one implementation per kernel class.\n");
        for (KernelMethod k : used.values()) {
            t.addMethod(signature(k).addModifiers(Modifier.PUBLIC, Modifier.ABSTRACT).build());
        }
        return t.build();
    }

    private TypeSpec forwarder(String name, ClassName target, String what, Map<String, KernelMethod> used) {
        TypeSpec.Builder t = TypeSpec.classBuilder(name).addModifiers(Modifier.PRIVATE, Modifier.STATIC, Modifier.FINAL).addSuperinterface(OPS)
                .addJavadoc("{@code Ops} over " + what + ".\n", target == simd ? target.simpleName() : target);
        for (KernelMethod k : used.values()) {
            String args = String.join(", ", k.params().stream().map(Param::name).toList());
            t.addMethod(signature(k).addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                    .addStatement("$T.$L($L)", target, k.name(), args).build());
        }
        return t.build();
    }

    private MethodSpec.Builder signature(KernelMethod k) {
        MethodSpec.Builder b = MethodSpec.methodBuilder(k.name());
        for (Param p : k.params()) {
            b.addParameter(type(p), p.name());
        }
        return b;
    }

    private TypeName type(Param p) {
        return KernelEmitter.javaType(p.type(), kernels.precision());
    }

    /** The nested {@code Provider} that registers a glue with the runtime's device backends; it links no TornadoVM class until it opens. */
    private TypeSpec glueProvider(HostClass.Glue g) {
        TypeSpec.Builder t = TypeSpec.classBuilder("Provider").addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addSuperinterface(g.type())
                .addJavadoc("Registers {@link $T} with the runtime's device backends (ServiceLoader).\n", host.name())
                .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC).addJavadoc("For ServiceLoader.\n").build())
                .addMethod(override("runs", ClassName.get(String.class)).addStatement("return $S", g.runs().reflectionName()).build());
        for (HostMethod open : g.opens()) {
            t.addMethod(method(open, false).toBuilder().addAnnotation(Override.class).addModifiers(Modifier.PUBLIC).build());
        }
        return t.build();
    }

    /** The nested {@code Provider} that registers the class with the runtime's kernel registry. */
    private TypeSpec provider(HostClass.Kernels p) {
        TypeSpec.Builder t = TypeSpec.classBuilder("Provider").addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addSuperinterface(p.type())
                .addJavadoc("Registers {@link $T} with the runtime's kernel registry (ServiceLoader).\n", host.name())
                .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC).addJavadoc("For ServiceLoader.\n").build())
                .addMethod(override("spec", p.spec()).addStatement("return SPEC").build())
                .addMethod(override("generatedClass", ClassName.get(String.class)).addStatement("return $S", host.name().reflectionName()).build())
                .addMethod(override("baseName", ClassName.get(String.class)).addStatement("return $S", p.baseName()).build())
                .addMethod(override("annotatedType", ClassName.get(String.class)).addStatement("return $S", p.annotatedType()).build())
                .addMethod(override("simdGenerated", TypeName.BOOLEAN).addStatement("return SIMD_GENERATED").build())
                .addMethod(override("create", p.result()).addParameter(p.weights(), "weights").addStatement("return of(weights)").build())
                .addMethod(override("create", p.result()).addParameter(p.weights(), "weights").addParameter(FLAVOUR, "flavour")
                        .addStatement("return of(weights, flavour)").build());
        if (p.format() != WeightFormat.F32) {
            t.addMethod(override("weights", ClassName.get(WeightFormat.class)).addStatement("return $T.$L", WeightFormat.class, p.format().name()).build());
        }
        return t.build();
    }

    private static MethodSpec.Builder override(String name, TypeName returns) {
        return MethodSpec.methodBuilder(name).addAnnotation(Override.class).addModifiers(Modifier.PUBLIC).returns(returns);
    }
}
