package dev.unroll.processor.host;

import static dev.unroll.processor.host.Steps.code;
import static dev.unroll.processor.host.Steps.ret;
import static dev.unroll.processor.host.Steps.run;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.backend.Backend;
import java.util.List;
import java.util.Set;
import javax.lang.model.element.Modifier;

/**
 * The TornadoVM API types the glue uses (named, not linked: the processor runs without TornadoVM), and
 * the members every glue shares.
 */
public final class Tornado {
    /** The API's package. */
    public static final String API = "uk.ac.manchester.tornado.api";
    /** A task graph. */
    public static final ClassName TASK_GRAPH = ClassName.get(API, "TaskGraph");
    /** A compiled plan. */
    public static final ClassName PLAN = ClassName.get(API, "TornadoExecutionPlan");
    /** An execution's result (for on-demand transfers). */
    public static final ClassName RESULT = ClassName.get(API, "TornadoExecutionResult");
    /** When data moves. */
    public static final ClassName MODE = ClassName.get(API + ".enums", "DataTransferMode");
    /** A failure to free a plan. */
    public static final ClassName PLAN_EXCEPTION = ClassName.get(API + ".exceptions", "TornadoExecutionPlanException");
    /** The kernel context of work-group kernels. */
    public static final ClassName KERNEL_CONTEXT = ClassName.get(API, "KernelContext");
    /** Grids of work-group kernels. */
    public static final ClassName GRID_SCHEDULER = ClassName.get(API, "GridScheduler");
    /** A one-dimensional grid. */
    public static final ClassName WORKER_GRID_1D = ClassName.get(API, "WorkerGrid1D");

    private Tornado() {}

    /**
     * @param graph the graph's name (the descriptor's base name)
     * @param exampleTask a task of the graph, for the doc's example flag
     * @return {@code GRAPH}: the task graph's name, the prefix of TornadoVM's per-task flags
     */
    public static HostField graphName(String graph, String exampleTask) {
        return new HostField(HostField.Role.CONSTANT, ClassName.get(String.class), "GRAPH", Set.of(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL),
                CodeBlock.of("$S", graph),
                CodeBlock.of("Task-graph name, the prefix of TornadoVM's per-task flags ({@code -D$L.$L.device=0:1}).\n", graph, exampleTask));
    }

    /** @return {@code backend()}: TORNADOVM */
    public static HostMethod backend() {
        return HostMethod.method("backend", ClassName.get(Backend.class), Modifier.PUBLIC).override()
                .steps(ret("$T.TORNADOVM", Backend.class)).build();
    }

    /**
     * @param graph the graph's name, for the message
     * @return {@code close()}: frees the plan's device memory, reporting TornadoVM's failure as an UnrollException
     */
    public static HostMethod close(String graph) {
        return HostMethod.method("close", com.palantir.javapoet.TypeName.VOID, Modifier.PUBLIC).override()
                .steps(new HostStep.Try(List.of(run("plan.close()")), PLAN_EXCEPTION, "e",
                        List.of(run("throw new $T($S + e.getMessage(), e)", UnrollException.class, "TornadoVM could not free the device memory of " + graph + ": "))))
                .build();
    }

    /**
     * @param graph the local holding the task graph
     * @param target where the plan goes ({@code this.plan}, {@code plans[g]})
     * @param extra builder calls after the device choice (e.g. a grid scheduler), or empty
     * @return the statements that build the plan: on the chosen device, pre-compiled
     */
    public static List<HostStep> compile(String graph, String target, CodeBlock extra) {
        return List.of(Steps.let(PLAN, "p", "new $T($L.snapshot())", PLAN, graph),
                run("$L = (backendIndex < 0 ? p : p.withDevice($T.getDevice(backendIndex, deviceIndex)))$L.withPreCompilation()", target, PLAN, extra));
    }

    /**
     * A glue's entry point that runs its plan once on staged arrays: the lengths checked, the input copied
     * into {@code xs}, the plan executed ({@code last} kept for on-demand transfers), {@code ys} copied out.
     *
     * @param name the method ({@code run}, {@code step})
     * @param what what one execution is, for the message ({@code chunk of Foo})
     * @param shape the arrays' shape, for the message ({@code [tokens][D]})
     * @return the method
     */
    public static HostMethod execute(String name, String what, String shape) {
        com.palantir.javapoet.TypeName floats = com.palantir.javapoet.ArrayTypeName.of(com.palantir.javapoet.TypeName.FLOAT);
        return HostMethod.method(name, com.palantir.javapoet.TypeName.VOID, Modifier.PUBLIC).override().param(floats, "in").param(floats, "out")
                .steps(Steps.when(code("in.length != xs.length || out.length != ys.length"),
                                run("throw new $T($S + xs.length + $S + in.length + $S + out.length)", UnrollException.class,
                                        what + ": expected inputs and outputs of ", " floats (" + shape + "), got ", " and ")),
                        run("System.arraycopy(in, 0, xs, 0, xs.length)"),
                        run("last = plan.execute()"),
                        run("System.arraycopy(ys, 0, out, 0, ys.length)"))
                .build();
    }

    /**
     * @param graph the local to hold the task graph
     * @param name its name
     * @return the statement that creates it
     */
    public static HostStep graph(String graph, CodeBlock name) {
        return Steps.let(TASK_GRAPH, graph, "new $T($L)", TASK_GRAPH, name);
    }

    /**
     * @param graph the task graph's local
     * @param toDevice to the device, else back to the host
     * @param every on every execution, else the first only
     * @param arrays the arrays (see {@link Steps#args})
     * @return the transfer
     */
    public static HostStep transfer(String graph, boolean toDevice, boolean every, Object... arrays) {
        return new HostStep.Transfer(graph, toDevice, every, Steps.args(arrays));
    }

    /**
     * @param graph the task graph's local
     * @param id the task's name
     * @param kernel the device kernel
     * @param args its arguments (see {@link Steps#args})
     * @return the task
     */
    public static HostStep task(String graph, CodeBlock id, String kernel, Object... args) {
        return new HostStep.Task(graph, id, kernel, Steps.args(args));
    }

    /**
     * @param id a task name
     * @return it as a string literal
     */
    public static CodeBlock id(String id) {
        return code("$S", id);
    }
}
