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

    /** Compiles with -Xlint:all, optionally with the Vector API visible. */
    static Compilation compile(boolean vectorApi, JavaFileObject... sources) {
        List<String> options = new ArrayList<>(List.of("-Xlint:all", "--release", "17"));
        if (vectorApi) {
            options.add("--add-modules");
            options.add("jdk.incubator.vector");
        }
        return javac().withProcessors(new UnrollProcessor()).withOptions(options).compile(sources);
    }

    /** Compiles without the Vector API (scalar kernels only). */
    static Compilation compile(JavaFileObject... sources) {
        return compile(false, sources);
    }
}
