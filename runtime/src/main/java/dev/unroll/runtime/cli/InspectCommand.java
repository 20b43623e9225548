package dev.unroll.runtime.cli;

import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.attention.LinearAttentionRunners;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.backend.Backend;
import dev.unroll.runtime.inspect.MethodSizes;
import dev.unroll.runtime.registry.KernelProvider;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** {@code unroll inspect [KERNEL]}: lists generated kernels, or shows what was generated for one descriptor. */
final class InspectCommand implements CliCommand {
    @Override
    public String name() {
        return "inspect";
    }

    @Override
    public String summary() {
        return "list generated kernels, or show one: constants, method sizes vs the JIT limit, flavour, backend";
    }

    @Override
    public String help() {
        return String.join("\n",
                "usage: unroll inspect [KERNEL]",
                "",
                "Without KERNEL: every generated kernel on the class path (family, short name, descriptor).",
                "With KERNEL (a short name such as Gla_D64, an annotated type such as Gla.D64, or a generated class):",
                "the descriptor, the generated classes, their constants, the bytecode size of every kernel method",
                "against HotSpot's 8000-byte limit (a bigger method is never JIT-compiled), the flavour this JVM",
                "would run and the backend it would choose.",
                "",
                "exit codes: 0 ok, 1 a generated method exceeds the JIT limit, 2 usage, 3 unknown kernel");
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        Options o = new Options(args, Set.of(), Set.of());
        if (o.positional().isEmpty()) {
            list(out);
            return ExitCodes.OK;
        }
        if (o.positional().size() > 1) {
            throw new UsageException("one kernel at a time, got " + o.positional());
        }
        return show(Targets.find(null, o.positional().get(0)), out);
    }

    private static void list(PrintStream out) {
        List<KernelProvider> all = Targets.of(null);
        out.printf(Locale.ROOT, "%d generated kernels on the class path:%n", all.size());
        for (KernelProvider p : all) {
            out.printf(Locale.ROOT, "  %-17s %-34s %s%n", p.family(), Targets.shortName(p), describe(p));
        }
    }

    private static String describe(KernelProvider p) {
        Object spec = p.spec();
        try {
            return (String) spec.getClass().getMethod("describe").invoke(spec);
        } catch (ReflectiveOperationException e) {
            return spec.toString();
        }
    }

    private static int show(KernelProvider p, PrintStream out) {
        String generated = p.generatedClass();
        String base = Targets.baseName(p);
        ClassLoader loader = InspectCommand.class.getClassLoader();
        String glue = p.family().equals("linear-attention") ? LinearAttentionRunners.glueClass(generated) : null;
        boolean glueGenerated = glue != null && Backend.glueGenerated(glue, loader);
        out.println("kernel:     " + Targets.shortName(p) + " (" + p.family() + ")");
        out.println("descriptor: " + describe(p));
        out.println("annotated:  " + p.annotatedType());
        out.println("classes:    " + generated + ", " + base + "Kernels" + (p.simdGenerated() ? ", " + base + "SimdKernels" : "")
                + (glueGenerated ? ", " + glue : ""));
        out.println("flavour:    " + Flavour.choose(p.simdGenerated()).describe());
        out.println("backend:    " + (glue != null
                ? Backend.choose(glue, loader).describe() + (glueGenerated ? "" : "; no TornadoVM glue generated")
                : "JVM (TornadoVM glue is generated for linear attention only)"));
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
        return ok ? ExitCodes.OK : ExitCodes.CHECK_FAILED;
    }

    private static boolean sizes(String className, ClassLoader loader, PrintStream out) {
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
