package dev.unroll.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.unroll.annotations.AttentionMode;
import dev.unroll.annotations.Precision;
import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.attention.AttentionSpec;
import dev.unroll.runtime.attention.AttentionState;
import dev.unroll.runtime.attention.AttentionWeights;
import dev.unroll.runtime.attention.GenericLinearAttention;
import dev.unroll.runtime.attention.LinearAttentionLayer;
import dev.unroll.runtime.attention.definition.ModeDefinition;
import dev.unroll.runtime.attention.definition.Modes;
import dev.unroll.runtime.internal.random.Xorshift64;
import dev.unroll.runtime.spec.Parameter;
import dev.unroll.runtime.spec.Range;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.tools.JavaFileObject;
import org.junit.jupiter.api.Test;

/**
 * For randomly drawn valid descriptors (odd widths, one to four heads, every mode and parameter
 * range, both precisions), the generated layer, compiled and loaded in this test, equals the
 * generic engine token by token in both flavours, and {@code forward} equals {@code step}.
 */
class RandomDescriptorPropertyTest {
    static final int DESCRIPTORS = 24;
    static final int TOKENS = 40;

    record Drawn(String name, String annotation, AttentionSpec spec) {}

    static Drawn draw(Xorshift64 r, int index) {
        List<ModeDefinition> all = Modes.all();
        AttentionMode mode = all.get((int) (r.nextUniform() * all.size())).mode();
        int heads = 1 + (int) (r.nextUniform() * 4);
        boolean explicitWidths = r.nextUniform() < 0.5;
        int width = explicitWidths ? 3 + (int) (r.nextUniform() * 30) : heads * (1 + (int) (r.nextUniform() * 9));
        int k = explicitWidths ? 1 + (int) (r.nextUniform() * 11) : width / heads;
        int v = explicitWidths ? 1 + (int) (r.nextUniform() * 11) : width / heads;
        long seed = 1 + (long) (r.nextUniform() * 1e9);
        Precision precision = r.nextUniform() < 0.5 ? Precision.F32 : Precision.F64;
        StringBuilder a = new StringBuilder("@LinearAttention(mode = AttentionMode." + mode + ", width = " + width + ", heads = " + heads
                + ", seed = " + seed + "L, precision = Precision." + precision);
        AttentionSpec.Builder b = AttentionSpec.builder(mode, width).heads(heads).seed(seed).precision(precision);
        if (explicitWidths) {
            a.append(", keyWidth = ").append(k).append(", valueWidth = ").append(v);
            b.keyWidth(k).valueWidth(v);
        }
        // the mode's own parameters, drawn from their tables: a draw the rules refuse is drawn again
        ModeDefinition def = Modes.of(mode);
        for (int attempt = 0; ; attempt++) {
            AttentionSpec.Builder candidate = b.buildUnchecked().toBuilder();
            StringBuilder members = new StringBuilder();
            java.util.Set<String> explicit = new java.util.HashSet<>();
            for (Parameter<?> p : def.parameters()) {
                Object value = drawValue(r, p);
                if (value != null) {
                    candidate.parameter(p.name(), value);
                    members.append(", ").append(p.name()).append(" = ").append(literal(value));
                    explicit.add(p.name());
                }
            }
            if (candidate.check(explicit).stream().noneMatch(dev.unroll.runtime.spec.Violation::isError)) {
                a.append(members);
                b = candidate;
                break;
            }
            assertTrue(attempt < 100, "no valid draw for " + mode);
        }
        a.append(")");
        return new Drawn("R" + index, a.toString(), b.build());
    }

    /** A value of the parameter's type inside its range, or null to keep the default (a NaN default means "derived"). */
    static Object drawValue(Xorshift64 r, Parameter<?> p) {
        double u = r.nextUniform();
        if (p.type() == Boolean.class) {
            return u < 0.5;
        }
        if (p.type().isEnum()) {
            Object[] constants = p.type().getEnumConstants();
            return constants[(int) (u * constants.length)];
        }
        if (p.type() == Integer.class) {
            return 1 + (int) (u * 4);
        }
        if (p.type() == Double.class) {
            if (p.range() instanceof Range.Interval i) {
                double hi = Double.isFinite(i.hi()) ? i.hi() : i.lo() + 2;
                return i.lo() + (hi - i.lo()) * (0.01 + 0.98 * u);
            }
            double d = (Double) p.defaultValue();
            return Double.isNaN(d) ? (u < 0.5 ? null : u - 0.5) : d * (0.5 + u);
        }
        return null;
    }

    static String literal(Object v) {
        return v instanceof Enum<?> e ? e.getDeclaringClass().getSimpleName() + "." + e.name() : String.valueOf(v);
    }

    @Test
    void generatedLayersEqualTheGenericEngine() throws Exception {
        Xorshift64 r = new Xorshift64(20261122L);
        List<Drawn> drawn = new ArrayList<>();
        StringBuilder body = new StringBuilder("final class Random {\n");
        for (int i = 0; i < DESCRIPTORS; i++) {
            Drawn d = draw(r, i);
            drawn.add(d);
            body.append("  ").append(d.annotation()).append("\n  interface ").append(d.name()).append(" {}\n");
        }
        body.append("}");
        Compilation c = Compile.compile(Flavour.vectorModulePresent(), Compile.source("Random", body.toString()));
        assertThat(c).succeeded();
        ClassLoader loader = new GeneratedClassLoader(c, getClass().getClassLoader());
        for (Drawn d : drawn) {
            Class<?> layerClass = loader.loadClass("test.Random_" + d.name() + "Layer");
            assertEquals(d.spec(), layerClass.getField("SPEC").get(null), d.annotation());
            AttentionWeights w = AttentionWeights.seeded(d.spec());
            GenericLinearAttention ref = new GenericLinearAttention(w);
            int width = d.spec().width();
            double[] xs = new double[TOKENS * width];
            for (int i = 0; i < xs.length; i++) {
                xs[i] = 3 * Math.sin(0.7 * i + d.spec().seed() % 7);
            }
            double[] expected = new double[xs.length];
            ref.forward(ref.newState(), xs, TOKENS, expected);
            for (Flavour f : Flavour.vectorModulePresent() ? List.of(Flavour.SCALAR, Flavour.SIMD) : List.of(Flavour.SCALAR)) {
                LinearAttentionLayer layer = (LinearAttentionLayer) layerClass.getMethod("of", AttentionWeights.class, Flavour.class).invoke(null, w, f);
                double tol = d.spec().precision() == Precision.F64 ? 1e-12 : 2e-5;
                AttentionState s = layer.newState();
                double[] x = new double[width];
                double[] y = new double[width];
                double[] steps = new double[xs.length];
                for (int t = 0; t < TOKENS; t++) {
                    System.arraycopy(xs, t * width, x, 0, width);
                    layer.step(s, x, y);
                    System.arraycopy(y, 0, steps, t * width, width);
                }
                assertClose(expected, steps, tol, d.annotation() + " " + f + " step");
                double[] seq = new double[xs.length];
                layer.forward(layer.newState(), xs, TOKENS, seq);
                assertClose(expected, seq, tol, d.annotation() + " " + f + " forward");
            }
        }
    }

    static void assertClose(double[] e, double[] a, double tol, String what) {
        double scale = 0;
        double err = 0;
        for (int i = 0; i < e.length; i++) {
            scale = Math.max(scale, Math.abs(e[i]));
            err = Math.max(err, Math.abs(e[i] - a[i]));
        }
        assertTrue(err <= tol * Math.max(scale, 1e-30), String.format(Locale.ROOT, "%s: error %.3e vs scale %.3e", what, err, scale));
    }

    /** Loads the classes a compile-testing compilation produced. */
    static final class GeneratedClassLoader extends ClassLoader {
        private final Map<String, JavaFileObject> classes = new HashMap<>();

        GeneratedClassLoader(Compilation c, ClassLoader parent) {
            super(parent);
            for (JavaFileObject f : c.generatedFiles()) {
                if (f.getKind() == JavaFileObject.Kind.CLASS) {
                    String path = f.toUri().getPath();
                    String name = path.substring(path.indexOf("/test/") + 1, path.length() - ".class".length()).replace('/', '.');
                    classes.put(name, f);
                }
            }
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            JavaFileObject f = classes.get(name);
            if (f == null) {
                throw new ClassNotFoundException(name);
            }
            try (InputStream in = f.openInputStream()) {
                byte[] b = in.readAllBytes();
                return defineClass(name, b, 0, b.length);
            } catch (IOException e) {
                throw new ClassNotFoundException(name, e);
            }
        }

        @Override
        public InputStream getResourceAsStream(String name) {
            String cls = name.endsWith(".class") ? name.substring(0, name.length() - 6).replace('/', '.') : null;
            JavaFileObject f = cls == null ? null : classes.get(cls);
            if (f != null) {
                try {
                    return f.openInputStream();
                } catch (IOException e) {
                    return null;
                }
            }
            return super.getResourceAsStream(name);
        }
    }
}
