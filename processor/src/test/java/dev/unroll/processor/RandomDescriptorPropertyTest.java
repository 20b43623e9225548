package dev.unroll.processor;

import static com.google.testing.compile.CompilationSubject.assertThat;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.testing.compile.Compilation;
import dev.unroll.annotations.AttentionMode;
import dev.unroll.annotations.BetaMode;
import dev.unroll.annotations.Precision;
import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.attention.AttentionSpec;
import dev.unroll.runtime.attention.AttentionState;
import dev.unroll.runtime.attention.AttentionWeights;
import dev.unroll.runtime.attention.GenericLinearAttention;
import dev.unroll.runtime.attention.LinearAttentionLayer;
import dev.unroll.runtime.attention.mode.DeltaProductMode;
import dev.unroll.runtime.attention.mode.GatedDeltaNetMode;
import dev.unroll.runtime.attention.mode.Hgrn2Mode;
import dev.unroll.runtime.attention.mode.LogLinearMode;
import dev.unroll.runtime.attention.mode.RetNetMode;
import dev.unroll.runtime.attention.mode.RwkvMode;
import dev.unroll.runtime.internal.random.Xorshift64;
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
        AttentionMode[] modes = AttentionMode.values();
        AttentionMode mode = modes[(int) (r.nextUniform() * modes.length)];
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
        switch (mode) {
            case RETNET -> {
                double g = 0.5 + 0.49 * r.nextUniform();
                a.append(", gamma = ").append(g);
                b.set(RetNetMode.GAMMA, g);
            }
            case GATED_DELTA_NET -> {
                BetaMode bm = r.nextUniform() < 0.5 ? BetaMode.STATIC : BetaMode.PER_TOKEN;
                a.append(", betaMode = BetaMode.").append(bm);
                b.set(GatedDeltaNetMode.BETA_MODE, bm);
                if (bm == BetaMode.STATIC) {
                    double bs = 0.1 + 1.9 * r.nextUniform();
                    a.append(", betaScale = ").append(bs);
                    b.set(GatedDeltaNetMode.BETA_SCALE, bs);
                }
            }
            case RWKV -> {
                double d = 2 * r.nextUniform();
                a.append(", initialDecay = ").append(d);
                b.set(RwkvMode.INITIAL_DECAY, d);
            }
            case DELTA_PRODUCT -> {
                int n = 1 + (int) (r.nextUniform() * 3);
                boolean refl = r.nextUniform() < 0.5;
                a.append(", compositions = ").append(n).append(", reflections = ").append(refl);
                b.set(DeltaProductMode.COMPOSITIONS, n).set(DeltaProductMode.REFLECTIONS, refl);
            }
            case HGRN2 -> {
                double lb = 0.99 * r.nextUniform();
                a.append(", lowerBound = ").append(lb);
                b.set(Hgrn2Mode.LOWER_BOUND, lb);
            }
            case LOG_LINEAR -> {
                AttentionMode inner = modes[(int) (r.nextUniform() * (modes.length - 1))];
                int levels = 1 + (int) (r.nextUniform() * 8);
                double lambda = r.nextUniform() - 0.5;
                a.append(", inner = AttentionMode.").append(inner).append(", maxLevels = ").append(levels).append(", lambdaInit = ").append(lambda);
                b.set(LogLinearMode.INNER, inner).set(LogLinearMode.MAX_LEVELS, levels).set(LogLinearMode.LAMBDA_INIT, lambda);
            }
            default -> {
            }
        }
        a.append(")");
        return new Drawn("R" + index, a.toString(), b.build());
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
