package dev.unroll.cli;

import dev.unroll.cli.inspect.MethodSizes;
import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.backend.Backend;
import dev.unroll.runtime.backend.DeviceGlue;
import dev.unroll.runtime.backend.DeviceGlues;
import dev.unroll.runtime.registry.KernelProvider;
import java.io.PrintWriter;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code unroll inspect [KERNEL]}: lists generated kernels, or shows what was generated for one descriptor. */
@Command(name = "inspect", mixinStandardHelpOptions = true, synopsisHeading = "usage: ",
        header = "Lists generated kernels, or shows one: constants, method sizes against the JIT limit, flavour, backend.",
        description = {"Without KERNEL: every generated kernel on the class path (family, short name, descriptor).",
                "With KERNEL (a short name such as Gla_D64, an annotated type such as Gla.D64, or a generated class): the "
                + "descriptor, the generated classes, their constants, the bytecode size of every kernel method against "
                + "HotSpot's 8000-byte limit (a bigger method is never JIT-compiled), the flavour this JVM would run and the "
                + "backend it would choose."},
        footer = {"", "exit codes: 0 ok, 1 a generated method exceeds the JIT limit, 2 usage, 3 unknown kernel"})
final class InspectCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "KERNEL", arity = "0..1", completionCandidates = KernelNames.class,
            description = "a generated kernel (unroll inspect lists them)")
    String kernel;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        int code;
        if (kernel == null) {
            list(out);
            code = ExitCodes.OK;
        } else {
            code = show(Targets.find(null, kernel), out);
        }
        out.flush();
        return code;
    }

    private static void list(PrintWriter out) {
        List<KernelProvider<?, ?, ?>> all = Targets.of(null);
        out.printf(Locale.ROOT, "%d generated kernels on the class path:%n", all.size());
        for (KernelProvider<?, ?, ?> p : all) {
            // the name on its line, the descriptor folded below it: every line within the help's 100 columns
            out.printf(Locale.ROOT, "  %-17s %s%n", p.family(), Targets.shortName(p));
            out.println(Wrap.lines("      ", describe(p), "        "));
        }
    }

    private static String describe(KernelProvider<?, ?, ?> p) {
        return Targets.describe(p);
    }

    private static int show(KernelProvider<?, ?, ?> p, PrintWriter out) {
        String generated = p.generatedClass();
        String base = p.baseName();
        ClassLoader loader = InspectCommand.class.getClassLoader();
        DeviceGlue glue = DeviceGlues.find(DeviceGlue.class, generated, loader);
        // every glue class: a linear-attention layer has two (one stream in chunks, many streams)
        java.util.Set<String> glues = new java.util.LinkedHashSet<>();
        for (Class<? extends DeviceGlue> kind : java.util.List.of(dev.unroll.runtime.attention.AttentionGlue.class,
                dev.unroll.runtime.attention.AttentionStreamsGlue.class, DeviceGlue.class)) {
            DeviceGlue g = DeviceGlues.find(kind, generated, loader);
            if (g != null) {
                glues.add(g.getClass().getDeclaringClass().getName());
            }
        }
        out.println("kernel:     " + Targets.shortName(p) + " (" + p.family() + ")");
        out.println(Wrap.lines("descriptor: ", describe(p), "              "));
        out.println("annotated:  " + p.annotatedType());
        out.println(Wrap.lines("classes:    ", generated + ", " + base + "Kernels" + (p.simdGenerated() ? ", " + base + "SimdKernels" : "")
                + (glues.isEmpty() ? "" : ", " + String.join(", ", glues)), "            "));
        out.println("flavour:    " + Flavour.choose(p.simdGenerated()).describe());
        out.println("backend:    " + Backend.choose(glue, load(generated, loader)).describe() + (glue != null ? "" : "; no TornadoVM glue generated"));
        Class<?> scalar = load(base + "Kernels", loader);
        out.println();
        out.println("constants of " + scalar.getSimpleName() + ":");
        StringBuilder line = new StringBuilder("  ");
        for (Field f : scalar.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType().isPrimitive()) {
                String item;
                try {
                    item = f.getName() + " = " + f.get(null);
                } catch (IllegalAccessException e) {
                    continue;
                }
                if (line.length() + item.length() > 100) {
                    out.println(line.toString().stripTrailing());
                    line = new StringBuilder("  ");
                }
                line.append(item).append("   ");
            }
        }
        out.println(line.toString().stripTrailing());
        boolean ok = sizes(scalar.getName(), loader, out);
        if (p.simdGenerated()) {
            ok &= sizes(base + "SimdKernels", loader, out);
        }
        ok &= sizes(generated, loader, out);
        return ok ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }

    private static boolean sizes(String className, ClassLoader loader, PrintWriter out) {
        Map<String, Integer> sizes = MethodSizes.of(className, loader);
        int worst = sizes.values().stream().mapToInt(Integer::intValue).max().orElse(0);
        out.println();
        out.printf(Locale.ROOT, "method bytecode sizes of %s (JIT limit %d bytes; largest %d):%n", className.substring(className.lastIndexOf('.') + 1), MethodSizes.HUGE_METHOD_LIMIT, worst);
        boolean ok = true;
        for (Map.Entry<String, Integer> e : sizes.entrySet()) {
            String name = e.getKey().substring(0, e.getKey().indexOf('('));
            if (name.equals("<init>") || name.equals("<clinit>")) {
                continue;
            }
            boolean over = e.getValue() > MethodSizes.HUGE_METHOD_LIMIT;
            ok &= !over;
            out.printf(Locale.ROOT, "  %6d  %s%s%n", e.getValue(), name, over ? "   OVER THE LIMIT: never JIT-compiled" : "");
        }
        return ok;
    }

    private static Class<?> load(String name, ClassLoader loader) {
        try {
            return Class.forName(name, false, loader);
        } catch (ClassNotFoundException e) {
            throw new UnrollException("generated class " + name + " is registered but not on the class path");
        }
    }
}
