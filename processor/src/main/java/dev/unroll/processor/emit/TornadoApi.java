package dev.unroll.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeSpec;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.backend.Backend;
import javax.lang.model.element.Modifier;

/** The TornadoVM API types the glue classes use, and the pieces every glue class shares. */
final class TornadoApi {
    static final String API = "uk.ac.manchester.tornado.api";
    static final ClassName TASK_GRAPH = ClassName.get(API, "TaskGraph");
    static final ClassName PLAN = ClassName.get(API, "TornadoExecutionPlan");
    static final ClassName RESULT = ClassName.get(API, "TornadoExecutionResult");
    static final ClassName MODE = ClassName.get(API + ".enums", "DataTransferMode");
    static final ClassName PLAN_EXCEPTION = ClassName.get(API + ".exceptions", "TornadoExecutionPlanException");
    static final ClassName KERNEL_CONTEXT = ClassName.get(API, "KernelContext");
    static final ClassName GRID_SCHEDULER = ClassName.get(API, "GridScheduler");
    static final ClassName WORKER_GRID_1D = ClassName.get(API, "WorkerGrid1D");
    static final ClassName UNROLL_EXCEPTION = ClassName.get(UnrollException.class);
    static final ClassName BACKEND = ClassName.get(Backend.class);

    private TornadoApi() {}

    /**
     * @param graph the graph's name, for the message
     * @return {@code close()}: frees the plan's device memory, reporting TornadoVM's failure as an UnrollException
     */
    static MethodSpec close(String graph) {
        return MethodSpec.methodBuilder("close").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                .beginControlFlow("try")
                .addStatement("plan.close()")
                .nextControlFlow("catch ($T e)", PLAN_EXCEPTION)
                .addStatement("throw new $T($S + e.getMessage(), e)", UNROLL_EXCEPTION, "TornadoVM could not free the device memory of " + graph + ": ")
                .endControlFlow()
                .build();
    }

    /** @return {@code backend()}: TORNADOVM */
    static MethodSpec backend() {
        return MethodSpec.methodBuilder("backend").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC).returns(BACKEND)
                .addStatement("return $T.TORNADOVM", BACKEND).build();
    }

    /**
     * @param graph the local holding the task graph
     * @param extra builder calls after the device choice (e.g. a grid scheduler), or empty
     * @return the statement that builds the plan: on the chosen device, pre-compiled
     */
    static CodeBlock plan(String graph, CodeBlock extra) {
        return CodeBlock.builder()
                .addStatement("final $T p = new $T($L.snapshot())", PLAN, PLAN, graph)
                .addStatement("this.plan = (backendIndex < 0 ? p : p.withDevice($T.getDevice(backendIndex, deviceIndex)))$L.withPreCompilation()", PLAN, extra)
                .build();
    }

    /**
     * The nested {@code Provider} a glue class registers through ServiceLoader
     * ({@code dev.unroll.runtime.backend.DeviceGlue}): it names the class the glue runs and opens the glue for the
     * family's runners. It links no TornadoVM class until {@code open} runs.
     *
     * @param self the glue class
     * @param runs the generated layer or model it runs
     * @param glueInterface the family's glue interface
     * @param open the {@code open} method, without modifiers or annotation
     * @return the {@code Provider} type
     */
    static TypeSpec glueProvider(ClassName self, ClassName runs, ClassName glueInterface, MethodSpec.Builder open) {
        return TypeSpec.classBuilder("Provider").addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addSuperinterface(glueInterface)
                .addJavadoc("Registers {@link $T} with the runtime's device backends (ServiceLoader).\n", self)
                .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC).addJavadoc("For ServiceLoader.\n").build())
                .addMethod(MethodSpec.methodBuilder("runs").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                        .returns(String.class).addStatement("return $S", runs.reflectionName()).build())
                .addMethod(open.addAnnotation(Override.class).addModifiers(Modifier.PUBLIC).build())
                .build();
    }
}
