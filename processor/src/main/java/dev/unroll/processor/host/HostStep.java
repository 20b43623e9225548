package dev.unroll.processor.host;

import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.TypeName;
import java.util.List;

/** One statement of host code: what an entry point does, in order. */
public sealed interface HostStep {
    /**
     * A local, declared final.
     *
     * @param type its type
     * @param name its name
     * @param init its value
     */
    record Let(TypeName type, String name, CodeBlock init) implements HostStep {}

    /**
     * A call of a kernel method in the flavour the object runs ({@code ops.kernel(args)}).
     *
     * @param kernel the kernel method's name
     * @param args its arguments
     */
    record Kernel(String kernel, List<CodeBlock> args) implements HostStep {}

    /**
     * A kernel call split into independent pieces over the runtime's threads.
     *
     * @param split how the work is cut
     * @param extents the split's sizes, as its helper takes them
     * @param names the lambda's parameters (by default {@link Split#params})
     * @param call the kernel call, over the lambda's parameters
     */
    record Parallel(Split split, List<CodeBlock> extents, List<String> names, Kernel call) implements HostStep {}

    /**
     * Any other statement: a call of another host method or a base-class helper, an assignment.
     *
     * @param statement the statement, without its semicolon
     */
    record Run(CodeBlock statement) implements HostStep {}

    /**
     * A resource held for the steps and closed after them ({@code try (final T name = init) { ... }}).
     *
     * @param type the resource's type
     * @param name its name
     * @param init its value
     * @param body the steps that use it
     */
    record Using(TypeName type, String name, CodeBlock init, List<HostStep> body) implements HostStep {}

    /**
     * Steps whose failure with one exception type is turned into another statement.
     *
     * @param body the steps tried
     * @param exception the exception caught
     * @param var its local
     * @param handler the steps that handle it
     */
    record Try(List<HostStep> body, TypeName exception, String var, List<HostStep> handler) implements HostStep {}

    /**
     * A counted loop.
     *
     * @param var the index
     * @param from its first value
     * @param bound its exclusive bound (a {@code static final} constant where it can be)
     * @param comment why, or empty
     * @param body the steps
     */
    record Loop(String var, CodeBlock from, CodeBlock bound, String comment, List<HostStep> body) implements HostStep {}

    /**
     * A loop over an array's elements.
     *
     * @param type the element type
     * @param var the element's local
     * @param array the array
     * @param body the steps
     */
    record ForEach(TypeName type, String var, CodeBlock array, List<HostStep> body) implements HostStep {}

    /**
     * A branch.
     *
     * @param condition the condition
     * @param then when it holds
     * @param otherwise when it does not (may be empty)
     */
    record If(CodeBlock condition, List<HostStep> then, List<HostStep> otherwise) implements HostStep {}

    /**
     * A hook point of the decoder: fires when hooks are installed (JVM only; the device does not expose
     * the stream between kernels).
     *
     * @param point the {@code HookPoint} constant
     * @param layer the layer (-1 outside a layer)
     * @param pass the recurrent pass
     * @param pos the position
     * @param value the vector the hook sees
     */
    record Hook(String point, CodeBlock layer, CodeBlock pass, CodeBlock pos, CodeBlock value) implements HostStep {}

    /**
     * A comment line before the next step.
     *
     * @param text the comment
     */
    record Comment(String text) implements HostStep {}

    /**
     * The method's result.
     *
     * @param value the value, or null for a plain {@code return}
     */
    record Return(CodeBlock value) implements HostStep {}

    /**
     * A TornadoVM task: a device kernel of the descriptor's TornadoVM kernel class added to a task graph
     * ({@code graph.task(id, FooTornadoKernels::kernel, args)}). Scalars are captured when the graph is built.
     *
     * @param graph the task graph's local
     * @param id the task's name within the graph
     * @param kernel the device kernel method
     * @param args its arguments
     */
    record Task(String graph, CodeBlock id, String kernel, List<CodeBlock> args) implements HostStep {}

    /**
     * Arrays a task graph moves between host and device.
     *
     * @param graph the task graph's local
     * @param toDevice whether they go to the device (else they come back to the host)
     * @param everyExecution whether on every execution (else on the first only)
     * @param arrays the arrays
     */
    record Transfer(String graph, boolean toDevice, boolean everyExecution, List<CodeBlock> arrays) implements HostStep {}

    /**
     * Arrays that stay on the device between executions ({@code persistOnDevice}): recurrent state.
     *
     * @param graph the task graph's local
     * @param arrays the arrays
     */
    record Persist(String graph, List<CodeBlock> arrays) implements HostStep {}

    /**
     * The helpers that cut work over threads, and the lambda parameters each hands its piece.
     */
    enum Split {
        /** {@code Host.forEach(n, i -> ...)}: one item each. */
        EACH("i"),
        /** {@code rows(rows, block, (r0, r1) -> ...)}: row blocks. */
        ROWS("r0", "r1"),
        /** {@code tiles(rows, cols, (r0, r1, n0, n1) -> ...)}: output tiles. */
        TILES("r0", "r1", "n0", "n1"),
        /** {@code perPuzzle(batch, rows, (b, p0, p1) -> ...)}: each puzzle's rows. */
        PER_PUZZLE("b", "p0", "p1"),
        /** {@code parts(parts, p -> ...)}: one product's parts, one per thread, the caller taking one. */
        PARTS("p");

        private final List<String> params;

        Split(String... params) {
            this.params = List.of(params);
        }

        /** @return the lambda's parameters */
        public List<String> params() {
            return params;
        }
    }
}
