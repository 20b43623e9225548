package dev.unroll.processor;

import static com.google.testing.compile.Compiler.javac;

import com.google.testing.compile.Compilation;
import com.google.testing.compile.JavaFileObjects;
import java.util.ArrayList;
import java.util.List;
import javax.tools.JavaFileObject;

/** Runs javac with the Unroll processor on in-memory sources. */
final class Compile {
    private Compile() {}

    /** A source file {@code test.<name>} with the given body after the standard imports. */
    static JavaFileObject source(String name, String body) {
        return JavaFileObjects.forSourceString("test." + name, String.join("\n",
                "package test;",
                "",
                "import dev.unroll.annotations.*;",
                "",
                body,
                ""));
    }

    /** Compiles with every lint but the processing lint (see below), optionally with the Vector API visible. */
    static Compilation compile(boolean vectorApi, JavaFileObject... sources) {
        return compile(vectorApi, List.of(), sources);
    }

    /**
     * Compiles with every lint but javac's processing lint, and extra options, optionally with the Vector
     * API visible. The processing lint notes that no processor claims {@code javax.annotation.processing.Generated}
     * on the generated code: Unroll leaves that annotation to other processors on purpose (claiming it would
     * hide it from them), and the note is about processors, not about the code.
     */
    static Compilation compile(boolean vectorApi, List<String> extra, JavaFileObject... sources) {
        List<String> options = new ArrayList<>(List.of("-Xlint:all,-processing", "--release", "17"));
        options.addAll(extra);
        if (vectorApi) {
            options.add("--add-modules");
            options.add("jdk.incubator.vector");
        }
        return javac().withProcessors(new UnrollProcessor()).withOptions(options).compile(sources);
    }

    /** The test-only stand-in for TornadoVM's API (see {@code src/test/resources/tornado-api-stub/README.md}). */
    static final List<String> TORNADO_STUBS = List.of("annotations/Parallel", "math/TornadoMath", "enums/DataTransferMode",
            "common/TornadoDevice", "common/TornadoFunctions", "exceptions/TornadoExecutionPlanException", "TaskGraph",
            "ImmutableTaskGraph", "TornadoExecutionResult", "TornadoExecutionPlan", "KernelContext", "GridScheduler", "WorkerGrid",
            "WorkerGrid1D");

    /** Compiles the sources together with the TornadoVM API stand-in, without the Vector API. */
    static Compilation compileWithTornado(JavaFileObject... sources) {
        return compileWithTornado(List.of(), sources);
    }

    /** Compiles the sources together with the TornadoVM API stand-in, without the Vector API, with extra options. */
    static Compilation compileWithTornado(List<String> extra, JavaFileObject... sources) {
        List<JavaFileObject> all = new ArrayList<>(List.of(sources));
        for (String stub : TORNADO_STUBS) {
            all.add(JavaFileObjects.forResource("tornado-api-stub/uk/ac/manchester/tornado/api/" + stub + ".java"));
        }
        return compile(false, extra, all.toArray(JavaFileObject[]::new));
    }

    /** Compiles without the Vector API (scalar kernels only). */
    static Compilation compile(JavaFileObject... sources) {
        return compile(false, sources);
    }
}
