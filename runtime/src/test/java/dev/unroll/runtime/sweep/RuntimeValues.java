package dev.unroll.runtime.sweep;

import dev.unroll.annotations.AttentionMode;
import dev.unroll.annotations.Precision;
import dev.unroll.runtime.ShapeMismatchException;
import dev.unroll.runtime.TestData;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.attention.AbstractLinearAttention;
import dev.unroll.runtime.attention.AttentionGlue;
import dev.unroll.runtime.attention.AttentionSpec;
import dev.unroll.runtime.attention.AttentionState;
import dev.unroll.runtime.attention.AttentionWeights;
import dev.unroll.runtime.attention.GenericLinearAttention;
import dev.unroll.runtime.attention.LinearAttentionLayer;
import dev.unroll.runtime.attention.LinearAttentionRunners;
import dev.unroll.runtime.attention.WeightLayout;
import dev.unroll.runtime.attention.WeightTensor;
import dev.unroll.runtime.attention.mode.DeltaProductMode;
import dev.unroll.runtime.attention.mode.LogLinearMode;
import dev.unroll.runtime.attention.mode.RetNetMode;
import dev.unroll.runtime.backend.DeviceGlue;
import dev.unroll.runtime.backend.DeviceIndex;
import dev.unroll.runtime.backend.SequenceRunner;
import dev.unroll.runtime.backend.StreamsRunner;
import dev.unroll.runtime.fla.Fla;
import dev.unroll.runtime.fla.GatedDeltaNetConfig;
import dev.unroll.runtime.fla.GatedDeltaNetLayer;
import dev.unroll.runtime.fla.GatedDeltaNetState;
import dev.unroll.runtime.fla.GatedDeltaNetWeights;
import dev.unroll.runtime.fla.Result;
import dev.unroll.runtime.fla.Tensor;
import dev.unroll.runtime.safetensors.DType;
import dev.unroll.runtime.safetensors.SafetensorsFile;
import dev.unroll.runtime.safetensors.SafetensorsShards;
import dev.unroll.runtime.safetensors.ShardedFolder;
import dev.unroll.runtime.safetensors.SafetensorsFormatException;
import dev.unroll.runtime.safetensors.SafetensorsWriter;
import dev.unroll.runtime.safetensors.TensorInfo;
import dev.unroll.runtime.spec.Diagnostic;
import dev.unroll.runtime.spec.InvalidDescriptorException;
import dev.unroll.runtime.spec.Parameter;
import dev.unroll.runtime.spec.ParameterValues;
import dev.unroll.runtime.spec.Range;
import dev.unroll.runtime.spec.TableBuilder;
import dev.unroll.runtime.spec.Violation;
import dev.unroll.runtime.transformer.CachedGenerator;
import dev.unroll.runtime.transformer.BatchDecodeRunner;
import dev.unroll.runtime.transformer.DecodeRunner;
import dev.unroll.runtime.transformer.DecodeSession;
import dev.unroll.runtime.transformer.DecoderGlue;
import dev.unroll.runtime.transformer.Generation;
import dev.unroll.runtime.transformer.GenerationResult;
import dev.unroll.runtime.transformer.GenericTransformer;
import dev.unroll.runtime.transformer.HookPoint;
import dev.unroll.runtime.transformer.Hooks;
import dev.unroll.runtime.transformer.KvCache;
import dev.unroll.runtime.transformer.Llama2c;
import dev.unroll.runtime.transformer.RecomputeGenerator;
import dev.unroll.runtime.transformer.RecurrentPassSpec;
import dev.unroll.runtime.transformer.Sampler;
import dev.unroll.runtime.transformer.HfTokenizer;
import dev.unroll.runtime.transformer.Tokenizer;
import dev.unroll.runtime.transformer.TransformerModel;
import dev.unroll.runtime.transformer.TransformerRunners;
import dev.unroll.runtime.transformer.TransformerSpec;
import dev.unroll.runtime.transformer.HfConfig;
import dev.unroll.runtime.transformer.TransformerWeights;
import dev.unroll.runtime.trm.GenericTrm;
import dev.unroll.runtime.trm.TrmCarry;
import dev.unroll.runtime.trm.TrmGlue;
import dev.unroll.runtime.trm.TrmModel;
import dev.unroll.runtime.trm.TrmResult;
import dev.unroll.runtime.trm.TrmRunner;
import dev.unroll.runtime.trm.TrmRunners;
import dev.unroll.runtime.trm.TrmSpec;
import dev.unroll.runtime.trm.TrmStep;
import dev.unroll.runtime.trm.TrmWeights;
import dev.unroll.runtime.weights.NamedTensors;
import dev.unroll.runtime.weights.TensorSource;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Type;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * The sweep's values for the runtime's types: small real objects (a GLA layer of width 16, stories260K,
 * a TRM of hidden 32, a 4-D tensor) as baselines, and for each type its hostile variants; files are
 * fresh copies of the fuzz corpus's seeds (whole, truncated, overlong) and the usual non-files.
 */
public final class RuntimeValues {
    /** A GLA layer of width 16, 4 heads: the attention baseline. */
    public static final AttentionSpec GLA = AttentionSpec.builder(AttentionMode.GLA, 16).build();
    /** A Log-Linear layer over GLA with 3 levels. */
    public static final AttentionSpec LOG_LINEAR = AttentionSpec.builder(AttentionMode.LOG_LINEAR, 16).set(LogLinearMode.MAX_LEVELS, 3).build();
    /** A DeltaProduct layer at f64. */
    public static final AttentionSpec DELTA_PRODUCT = AttentionSpec.builder(AttentionMode.DELTA_PRODUCT, 16).precision(Precision.F64).build();
    /** A TRM of hidden 32 on 9-token puzzles. */
    public static final TrmSpec TRM = TrmSpec.fromJson(Map.of("hidden", 32L, "context", 9L, "vocab", 5L, "layers", 1L));

    private static final Path DIR = tempDir();

    private RuntimeValues() {}

    /** Parameterized types, by name. */
    public static Type type(String name) {
        return new Type() {
            @Override
            public String getTypeName() {
                return name;
            }
        };
    }

    /** @return the values of every runtime type and of the JDK's types the API takes */
    public static Values create() {
        Values v = new Values();
        primitives(v);
        arrays(v);
        files(v);
        attention(v);
        fla(v);
        flaLayers(v);
        safetensors(v);
        transformer(v);
        trm(v);
        backendAndTables(v);
        return v;
    }

    /** The backend's glue lookup and device index, the parameter tables, and the weight classes' named tensors. */
    private static void backendAndTables(Values v) {
        v.add(DeviceGlue.class, "a glue running no class", () -> (DeviceGlue) () -> "dev.unroll.Nothing")
                .add(DeviceGlue.class, "a glue whose runs() is null", () -> (DeviceGlue) () -> null);
        Type kind = type("java.lang.Class<G>");
        v.add(kind, "DeviceGlue.class", () -> DeviceGlue.class).add(kind, "AttentionGlue.class", () -> AttentionGlue.class).add(kind, "AttentionStreamsGlue.class", () -> dev.unroll.runtime.attention.AttentionStreamsGlue.class)
                .add(kind, "TrmGlue.class", () -> TrmGlue.class).add(kind, "DecoderGlue.class", () -> DecoderGlue.class)
                .add(kind, "String.class (not a glue)", () -> String.class);
        Type runs = type("java.lang.Class<?>");
        v.add(runs, "GenericLinearAttention.class", () -> GenericLinearAttention.class).add(runs, "String.class", () -> String.class)
                .add(runs, "int.class", () -> int.class);
        Type supplier = type("java.util.function.Supplier<T>");
        v.add(supplier, "() -> \"runner\"", () -> (Supplier<String>) () -> "runner")
                .add(supplier, "() -> null", () -> (Supplier<String>) () -> null)
                .add(supplier, "throws IllegalStateException", () -> (Supplier<String>) () -> {
                    throw new IllegalStateException("kernel compilation failed");
                })
                .add(supplier, "throws NoClassDefFoundError", () -> (Supplier<String>) () -> {
                    throw new NoClassDefFoundError("uk/ac/manchester/tornado/api/TaskGraph");
                });
        v.add(DeviceIndex.class, "DeviceIndex.DEFAULT", () -> DeviceIndex.DEFAULT).add(DeviceIndex.class, "0:0", () -> new DeviceIndex(0, 0))
                .add(DeviceIndex.class, "1:2", () -> DeviceIndex.parse("1:2"));
        for (Type r : List.of(Range.class, type("dev.unroll.runtime.spec.Range"))) {
            v.add(r, "Range.positive()", Range::positive).add(r, "Range.any()", Range::any).add(r, "Range.open(0, 1)", () -> Range.open(0, 1, "a rate"))
                    .add(r, "Range.oneOf(1, 2)", () -> Range.oneOf("one or two", 1, 2)).add(r, "Range.seed()", Range::seed);
        }
        v.add(Range.Positive.class, "Range.positive()", () -> (Range.Positive) Range.positive());
        v.add(Range.Any.class, "Range.any()", () -> (Range.Any) Range.any());
        v.add(Range.Interval.class, "(0, 1)", () -> (Range.Interval) Range.open(0, 1, "a rate"))
                .add(Range.Interval.class, "[0, 1]", () -> (Range.Interval) Range.interval(0, true, 1, true, "a fraction"));
        v.add(Range.OneOf.class, "{1, 2}", () -> (Range.OneOf) Range.oneOf("one or two", 1, 2));
        v.add(Range.Seed.class, "Range.seed()", () -> (Range.Seed) Range.seed());
        Type anyParameter = type("dev.unroll.runtime.spec.Parameter<?>");
        v.add(anyParameter, "TrmSpec.HIDDEN", () -> TrmSpec.HIDDEN).add(anyParameter, "TrmSpec.MIXER", () -> TrmSpec.MIXER)
                .add(anyParameter, "RetNetMode.GAMMA (another table's)", () -> RetNetMode.GAMMA)
                .add(anyParameter, "TrmSpec.SEED", () -> TrmSpec.SEED);
        v.add(TableBuilder.class, "the TRM's table", () -> new TableBuilder("@TinyRecursiveModel", TrmSpec.PARAMETERS))
                .add(TableBuilder.class, "an empty table", () -> new TableBuilder("@Empty", List.of()));
        Type shapes = type("java.util.Map<java.lang.String, long[]>");
        v.add(shapes, "{a: [2, 3]}", () -> new LinkedHashMap<>(Map.of("a", new long[] {2, 3})))
                .add(shapes, "{}", LinkedHashMap::new)
                .add(shapes, "{a: [-1]}", () -> new LinkedHashMap<>(Map.of("a", new long[] {-1})))
                .add(shapes, "{a: [2^31, 2^31]}", () -> new LinkedHashMap<>(Map.of("a", new long[] {1L << 31, 1L << 31})))
                .add(shapes, "{a: null}", () -> new LinkedHashMap<>(java.util.Collections.singletonMap("a", null)))
                .add(shapes, "{null: [2]}", () -> new LinkedHashMap<>(java.util.Collections.singletonMap(null, new long[] {2})));
        Type tensors = type("java.util.Map<java.lang.String, float[]>");
        v.add(tensors, "{a: float[6]}", () -> new LinkedHashMap<>(Map.of("a", new float[6])))
                .add(tensors, "{}", LinkedHashMap::new)
                .add(tensors, "{a: float[5]}", () -> new LinkedHashMap<>(Map.of("a", new float[5])))
                .add(tensors, "{b: float[6]}", () -> new LinkedHashMap<>(Map.of("b", new float[6])))
                .add(tensors, "{a: null}", () -> new LinkedHashMap<>(java.util.Collections.singletonMap("a", null)));
        Type map = type("java.util.function.BiFunction<java.lang.String, float[], float[]>");
        v.add(map, "(n, a) -> a", () -> (java.util.function.BiFunction<String, float[], float[]>) (n, a) -> a)
                .add(map, "(n, a) -> null", () -> (java.util.function.BiFunction<String, float[], float[]>) (n, a) -> null)
                .add(map, "(n, a) -> float[1]", () -> (java.util.function.BiFunction<String, float[], float[]>) (n, a) -> new float[1]);
        v.add(NamedTensors.class, "{a: [2, 3]}", () -> NamedTensors.of("a test", Map.of("a", new long[] {2, 3}), Map.of("a", new float[6])));
    }

    private static void primitives(Values v) {
        for (Class<?> c : List.of(int.class, Integer.class)) {
            v.add(c, "1", () -> 1).add(c, "0", () -> 0).add(c, "-1", () -> -1).add(c, "Integer.MIN_VALUE", () -> Integer.MIN_VALUE)
                    .add(c, "Integer.MAX_VALUE", () -> Integer.MAX_VALUE).add(c, "2^20", () -> 1 << 20);
        }
        for (Class<?> c : List.of(long.class, Long.class)) {
            v.add(c, "1L", () -> 1L).add(c, "0L", () -> 0L).add(c, "-1L", () -> -1L).add(c, "Long.MIN_VALUE", () -> Long.MIN_VALUE)
                    .add(c, "Long.MAX_VALUE", () -> Long.MAX_VALUE);
        }
        v.add(short.class, "(short) 1", () -> (short) 1).add(short.class, "(short) -1", () -> (short) -1)
                .add(short.class, "Short.MIN_VALUE", () -> Short.MIN_VALUE).add(short.class, "Short.MAX_VALUE", () -> Short.MAX_VALUE);
        for (Class<?> c : List.of(float.class, Float.class)) {
            v.add(c, "0.5f", () -> 0.5f).add(c, "0f", () -> 0f).add(c, "-1f", () -> -1f).add(c, "Float.NaN", () -> Float.NaN)
                    .add(c, "+Inf", () -> Float.POSITIVE_INFINITY).add(c, "-Inf", () -> Float.NEGATIVE_INFINITY).add(c, "Float.MAX_VALUE", () -> Float.MAX_VALUE);
        }
        for (Class<?> c : List.of(double.class, Double.class)) {
            v.add(c, "0.5", () -> 0.5).add(c, "0.0", () -> 0.0).add(c, "-1.0", () -> -1.0).add(c, "NaN", () -> Double.NaN)
                    .add(c, "+Inf", () -> Double.POSITIVE_INFINITY).add(c, "-Inf", () -> Double.NEGATIVE_INFINITY).add(c, "1e300", () -> 1e300);
        }
        for (Class<?> c : List.of(boolean.class, Boolean.class)) {
            v.add(c, "false", () -> false).add(c, "true", () -> true);
        }
        v.add(String.class, "\"x\"", () -> "x").add(String.class, "\"\"", () -> "").add(String.class, "an escape and a newline",
                () -> "\u001b[2J\nFAKE: PASS").add(String.class, "10,000 characters", () -> "x".repeat(10_000))
                .add(String.class, "cut JSON", () -> "{\"mode\":").add(String.class, "a tensor name", () -> "heads.0.w_key")
                .add(String.class, "\"GLA\"", () -> "GLA").add(String.class, "a descriptor", () -> "{\"mode\":\"GLA\",\"width\":16}");
        v.add(Object.class, "\"x\"", () -> "x").add(Object.class, "1", () -> 1).add(Object.class, "new Object()", Object::new)
                .add(Object.class, "0.5", () -> 0.5).add(Object.class, "true", () -> true);
        v.add(type("T"), "\"x\"", () -> "x").add(type("T"), "0.5", () -> 0.5).add(type("T"), "1", () -> 1);
        v.add(type("java.lang.Class<T>"), "Double.class", () -> Double.class).add(type("java.lang.Class<T>"), "String.class", () -> String.class);
        v.add(type("java.lang.Class<E>"), "AttentionMode.class", () -> AttentionMode.class).add(type("java.lang.Class<E>"), "Precision.class",
                () -> Precision.class);
        v.add(type("E"), "AttentionMode.GLA", () -> AttentionMode.GLA).add(type("E"), "Precision.F64", () -> Precision.F64);
        v.add(ClassLoader.class, "the system loader", ClassLoader::getSystemClassLoader);
        // progress and streaming listeners: one that ignores, one that stops the work with a clean error
        v.add(java.util.function.IntConsumer.class, "a listener that ignores", () -> (java.util.function.IntConsumer) t -> { })
                .add(java.util.function.IntConsumer.class, "a listener that throws", () -> (java.util.function.IntConsumer) t -> {
                    throw new dev.unroll.runtime.UnrollException("the listener stopped it");
                });
        v.add(Throwable.class, "a RuntimeException", () -> new RuntimeException("cause"));
        v.add(type("java.util.function.Predicate<java.lang.String>"), "n -> true", () -> (Predicate<String>) n -> true)
                .add(type("java.util.function.Predicate<java.lang.String>"), "n -> false", () -> (Predicate<String>) n -> false);
        v.add(OutputStream.class, "a ByteArrayOutputStream", ByteArrayOutputStream::new);
        Type json = type("java.util.Map<java.lang.String, java.lang.Object>");
        v.add(json, "an attention descriptor", () -> new LinkedHashMap<>(GLA.toJson()))
                .add(json, "a TRM descriptor", () -> new LinkedHashMap<>(TRM.toJson()))
                .add(json, "a transformer descriptor", () -> new LinkedHashMap<>(Stories.model().spec().toJson()))
                .add(json, "a reference config", () -> new LinkedHashMap<>(Map.of("d_model", 16L, "n_heads", 4L, "d_key", 4L, "d_value", 4L, "seed", 42L,
                        "mode", Map.of("name", "GLA"))))
                .add(json, "{}", LinkedHashMap::new)
                .add(json, "{mode: null}", () -> { Map<String, Object> m = new LinkedHashMap<>(); m.put("mode", null); m.put("width", 16L); return m; })
                .add(json, "{width: \"x\"}", () -> new LinkedHashMap<>(Map.of("mode", "GLA", "width", "x")))
                .add(json, "{width: 1e10}", () -> new LinkedHashMap<>(Map.of("mode", "GLA", "width", 1e10)))
                .add(json, "{hidden: -1}", () -> new LinkedHashMap<>(Map.of("hidden", -1L, "context", 9L, "vocab", 5L)))
                .add(json, "{gamma: NaN}", () -> new LinkedHashMap<>(Map.of("mode", "RETNET", "width", 16L, "gamma", Double.NaN)))
                .add(json, "{x: [[]]}", () -> new LinkedHashMap<>(Map.of("x", List.of(List.of()))));
    }

    private static float[] filled(int n, float x) {
        float[] a = new float[n];
        Arrays.fill(a, x);
        return a;
    }

    private static double[] filledD(int n, double x) {
        double[] a = new double[n];
        Arrays.fill(a, x);
        return a;
    }

    private static void arrays(Values v) {
        v.add(float[].class, "16 x 0.5f", () -> filled(16, 0.5f)).add(float[].class, "float[0]", () -> new float[0])
                .add(float[].class, "{NaN}", () -> new float[] {Float.NaN}).add(float[].class, "16 with +Inf", () -> {
                    float[] a = filled(16, 0.5f);
                    a[3] = Float.POSITIVE_INFINITY;
                    return a;
                }).add(float[].class, "64 x 0.5f", () -> filled(64, 0.5f)).add(float[].class, "512 x 0.5f", () -> filled(512, 0.5f))
                .add(float[].class, "65536 x 0.5f", () -> filled(65536, 0.5f)).add(float[].class, "{0.5f}", () -> new float[] {0.5f});
        v.add(double[].class, "16 x 0.5", () -> filledD(16, 0.5)).add(double[].class, "double[0]", () -> new double[0])
                .add(double[].class, "{NaN}", () -> new double[] {Double.NaN}).add(double[].class, "16 with -Inf", () -> {
                    double[] a = filledD(16, 0.5);
                    a[5] = Double.NEGATIVE_INFINITY;
                    return a;
                }).add(double[].class, "65536 x 0.5", () -> filledD(65536, 0.5)).add(double[].class, "{0.5}", () -> new double[] {0.5});
        v.add(int[].class, "{1, 2, 3}", () -> new int[] {1, 2, 3}).add(int[].class, "int[0]", () -> new int[0]).add(int[].class, "{-1}", () -> new int[] {-1})
                .add(int[].class, "{Integer.MAX_VALUE}", () -> new int[] {Integer.MAX_VALUE}).add(int[].class, "{Integer.MIN_VALUE, 0}",
                        () -> new int[] {Integer.MIN_VALUE, 0})
                .add(int[].class, "81 x 1", () -> { int[] a = new int[81]; Arrays.fill(a, 1); return a; })
                .add(int[].class, "65536 x 1", () -> { int[] a = new int[65536]; Arrays.fill(a, 1); return a; })
                .add(int[].class, "{0, 3}", () -> new int[] {0, 3});
        v.add(long[].class, "{2, 3}", () -> new long[] {2, 3}).add(long[].class, "long[0]", () -> new long[0]).add(long[].class, "{-1}", () -> new long[] {-1})
                .add(long[].class, "{Long.MAX_VALUE}", () -> new long[] {Long.MAX_VALUE}).add(long[].class, "{0}", () -> new long[] {0})
                .add(long[].class, "{2^40, 2^40}", () -> new long[] {1L << 40, 1L << 40}).add(long[].class, "{16}", () -> new long[] {16});
        v.add(float[][].class, "{16 x 0.5f}", () -> new float[][] {filled(16, 0.5f)}).add(float[][].class, "float[0][]", () -> new float[0][])
                .add(float[][].class, "{null}", () -> new float[][] {null}).add(float[][].class, "ragged", () -> new float[][] {filled(16, 0.5f), new float[3]});
        v.add(Object[].class, "{\"x\"}", () -> new Object[] {"x"}).add(Object[].class, "Object[0]", () -> new Object[0])
                .add(Object[].class, "{null}", () -> new Object[] {null}).add(Object[].class, "{1, 2, 3, 4, 5}", () -> new Object[] {1, 2, 3, 4, 5});
        v.add(byte[][].class, "{\"a\", \"b\"}", () -> new byte[][] {{'a'}, {'b'}}).add(byte[][].class, "byte[0][]", () -> new byte[0][])
                .add(byte[][].class, "{null}", () -> new byte[][] {null}).add(byte[][].class, "{a 2,000-byte piece}", () -> new byte[][] {new byte[2000]});
        v.add(byte[].class, "a GLA state", () -> new AttentionState(GLA).toBytes()).add(byte[].class, "byte[0]", () -> new byte[0])
                .add(byte[].class, "3 bytes", () -> new byte[] {1, 2, 3}).add(byte[].class, "a state cut in half", () -> {
                    byte[] b = new AttentionState(GLA).toBytes();
                    return Arrays.copyOf(b, b.length / 2);
                }).add(byte[].class, "a state and 100 more bytes", () -> {
                    byte[] b = new AttentionState(GLA).toBytes();
                    return Arrays.copyOf(b, b.length + 100);
                }).add(byte[].class, "a Log-Linear state", () -> new AttentionState(LOG_LINEAR).toBytes())
                .add(byte[].class, "64 bytes of 0xff", () -> filledBytes(64));
    }

    private static byte[] filledBytes(int n) {
        byte[] b = new byte[n];
        Arrays.fill(b, (byte) 0xff);
        return b;
    }

    // ---------------------------------------------------------------- files

    private static Path tempDir() {
        try {
            Path d = Files.createTempDirectory("unroll-sweep");
            d.toFile().deleteOnExit();
            return d;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int serial;

    /** A fresh file in the sweep's folder, removed at exit. */
    public static Path fresh(String name, byte[] content) {
        try {
            Path p = DIR.resolve((serial++) + "-" + name);
            Files.write(p, content);
            p.toFile().deleteOnExit();
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A seed of the loaders' fuzz corpus. */
    public static byte[] seed(String path) {
        try (InputStream in = RuntimeValues.class.getResourceAsStream("/dev/unroll/runtime/fuzz/LoaderFuzzTestInputs/" + path)) {
            if (in == null) {
                throw new IllegalStateException("no corpus seed " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final Map<String, String> SEEDS = Map.of("safetensors", "safetensors/gla-weights.safetensors", "checkpoint", "llama2c/tied.bin",
            "tokenizer", "tokenizer/tok271.bin", "reference JSON", "referenceJson/gla-first-token.json");

    /**
     * Paths of every kind a loader meets: each seed whole, truncated and overlong, and the things that
     * are not files (missing, a directory, a named pipe, a device).
     */
    private static void files(Values v) {
        v.add(Path.class, "a safetensors file", () -> fresh("w.safetensors", seed(SEEDS.get("safetensors"))));
        for (String kind : List.of("checkpoint", "tokenizer", "reference JSON")) {
            v.add(Path.class, "a " + kind, () -> fresh("f", seed(SEEDS.get(kind))));
        }
        for (Map.Entry<String, String> e : SEEDS.entrySet()) {
            v.add(Path.class, "a truncated " + e.getKey(), () -> {
                byte[] b = seed(e.getValue());
                return fresh("cut", Arrays.copyOf(b, b.length / 2));
            });
            v.add(Path.class, "an overlong " + e.getKey(), () -> {
                byte[] b = seed(e.getValue());
                return fresh("long", Arrays.copyOf(b, b.length + 1024));
            });
        }
        v.add(Path.class, "a GGUF file (llama.cpp's Q4_0)", () -> fresh("q4_0.gguf", gguf()))
                .add(Path.class, "a truncated GGUF file", () -> fresh("cut.gguf", Arrays.copyOf(gguf(), gguf().length / 2)));
        v.add(Path.class, "a sharded model folder", RuntimeValues::shardedFolder)
                .add(Path.class, "a shard index", () -> shardedFolder().resolve(SafetensorsShards.INDEX));
        v.add(Path.class, "a missing file", () -> DIR.resolve("missing-" + (serial++)))
                .add(Path.class, "a directory", () -> DIR)
                .add(Path.class, "an empty file", () -> fresh("empty", new byte[0]))
                .add(Path.class, "/dev/zero", () -> Path.of("/dev/zero"))
                .add(Path.class, "a named pipe", RuntimeValues::fifo);
        v.add(InputStream.class, "a safetensors stream", () -> new ByteArrayInputStream(seed(SEEDS.get("safetensors"))))
                .add(InputStream.class, "an empty stream", () -> new ByteArrayInputStream(new byte[0]))
                .add(InputStream.class, "a truncated safetensors stream", () -> {
                    byte[] b = seed(SEEDS.get("safetensors"));
                    return new ByteArrayInputStream(Arrays.copyOf(b, b.length / 2));
                })
                .add(InputStream.class, "64 bytes of 0xff", () -> new ByteArrayInputStream(filledBytes(64)));
    }

    /** The tiny byte-level vocabulary as a vocabulary-only GGUF file, with keys replaced. */
    private static byte[] bpeGguf(Map<String, Object> replaced) {
        try {
            Map<String, Object> keys = new LinkedHashMap<>(dev.unroll.runtime.gguf.GgufBytes.bpeKeys(
                    dev.unroll.runtime.TestData.fixture("tokenizers/tiny-bytelevel/tokenizer.json"), "llama-bpe"));
            keys.put("tokenizer.ggml.bos_token_id", 286);
            keys.put("tokenizer.ggml.eos_token_id", 287);
            keys.putAll(replaced);
            return dev.unroll.runtime.gguf.GgufBytes.metadataOnly(keys);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A tokenizer.json's tree: the tiny byte-level one as parsed. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> tinyTree() {
        try {
            return (Map<String, Object>) dev.unroll.runtime.internal.json.Json.parse(Files.readString(TestData.fixture("tokenizers/tiny-bytelevel/tokenizer.json")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] gguf() {
        try {
            return Files.readAllBytes(dev.unroll.runtime.TestData.fixture("gguf/stories260K-q4_0.gguf"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A small decoder's seeded weights in two shards and their index, fresh for each call (a writer may overwrite the index). */
    private static Path shardedFolder() {
        Path folder = DIR.resolve("sharded-" + (serial++));
        ShardedFolder.write(folder, TransformerWeights.seeded(HfConfig.read(dev.unroll.runtime.TestData.fixture("configs/tiny-untied.json")), 1),
                2, DType.F32);
        return folder;
    }

    private static Path fifo() {
        Path p = DIR.resolve("fifo-" + (serial++));
        try {
            new ProcessBuilder("mkfifo", p.toString()).start().waitFor();
            p.toFile().deleteOnExit();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return p;
    }

    // ---------------------------------------------------------------- families

    private static void attention(Values v) {
        v.add(AttentionSpec.class, "GLA d16", () -> GLA).add(AttentionSpec.class, "Log-Linear d16", () -> LOG_LINEAR)
                .add(AttentionSpec.class, "DeltaProduct d16 f64", () -> DELTA_PRODUCT);
        v.add(AttentionSpec.Builder.class, "builder(GLA, 16)", () -> AttentionSpec.builder(AttentionMode.GLA, 16))
                .add(AttentionSpec.Builder.class, "builder(LOG_LINEAR, 16)", () -> AttentionSpec.builder(AttentionMode.LOG_LINEAR, 16));
        v.add(AttentionState.class, "a GLA state", () -> new AttentionState(GLA)).add(AttentionState.class, "a Log-Linear state",
                () -> new AttentionState(LOG_LINEAR)).add(AttentionState.class, "a state of width 8",
                () -> new AttentionState(AttentionSpec.builder(AttentionMode.GLA, 8).build()));
        v.add(AttentionState[].class, "{a GLA state}", () -> new AttentionState[] {new AttentionState(GLA)})
                .add(AttentionState[].class, "AttentionState[0]", () -> new AttentionState[0])
                .add(AttentionState[].class, "{null}", () -> new AttentionState[] {null})
                .add(AttentionState[].class, "one state twice", () -> {
                    AttentionState s = new AttentionState(GLA);
                    return new AttentionState[] {s, s};
                });
        v.add(AttentionWeights.class, "seeded GLA", () -> Memo.get("gla weights", () -> AttentionWeights.seeded(GLA)))
                .add(AttentionWeights.class, "seeded Log-Linear", () -> Memo.get("ll weights", () -> AttentionWeights.seeded(LOG_LINEAR)));
        for (Class<?> c : List.of(GenericLinearAttention.class, AbstractLinearAttention.class, LinearAttentionLayer.class)) {
            v.add(c, "generic GLA", () -> Memo.get("gla layer", () -> GenericLinearAttention.seeded(GLA)))
                    .add(c, "generic Log-Linear", () -> Memo.get("ll layer", () -> GenericLinearAttention.seeded(LOG_LINEAR)));
        }
        v.add(WeightTensor.class, "heads.0.w_key", () -> WeightLayout.of(GLA).get(0));
        Type param = type("dev.unroll.runtime.spec.Parameter<T>");
        v.add(Parameter.class, "RetNetMode.GAMMA", () -> RetNetMode.GAMMA).add(Parameter.class, "LogLinearMode.MAX_LEVELS",
                () -> LogLinearMode.MAX_LEVELS).add(Parameter.class, "DeltaProductMode.REFLECTIONS", () -> DeltaProductMode.REFLECTIONS)
                .add(Parameter.class, "LogLinearMode.INNER", () -> LogLinearMode.INNER);
        v.add(param, "RetNetMode.GAMMA", () -> RetNetMode.GAMMA).add(param, "LogLinearMode.MAX_LEVELS", () -> LogLinearMode.MAX_LEVELS);
        v.add(ParameterValues.class, "ParameterValues.empty()", ParameterValues::empty).add(ParameterValues.class, "{gamma: 0.9}",
                () -> ParameterValues.of(Map.of("gamma", 0.9)));
        v.add(SequenceRunner.class, "a runner of 4 tokens", () -> {
                    LinearAttentionLayer l = GenericLinearAttention.seeded(GLA);
                    return LinearAttentionRunners.open(l, l.newState(), 4);
                })
                .add(SequenceRunner.class, "a closed runner of 1 token", () -> {
                    LinearAttentionLayer l = GenericLinearAttention.seeded(GLA);
                    SequenceRunner r = LinearAttentionRunners.open(l, l.newState(), 1);
                    r.close();
                    return r;
                });
        v.add(StreamsRunner.class, "a runner of 2 streams", () -> {
                    LinearAttentionLayer l = GenericLinearAttention.seeded(GLA);
                    return LinearAttentionRunners.openStreams(l, new AttentionState[] {l.newState(), l.newState()});
                })
                .add(StreamsRunner.class, "a closed runner of 1 stream", () -> {
                    LinearAttentionLayer l = GenericLinearAttention.seeded(GLA);
                    StreamsRunner r = LinearAttentionRunners.openStreams(l, new AttentionState[] {l.newState()});
                    r.close();
                    return r;
                });
        v.add(Violation.class, "a TooLarge violation", () -> new Violation(Diagnostic.TOO_LARGE, "width", "width (99) must be <= 8"));
        v.add(type("java.util.List<dev.unroll.runtime.spec.Violation>"), "[a violation]",
                () -> new java.util.ArrayList<>(List.of(new Violation(Diagnostic.TOO_LARGE, "width", "too large"))))
                .add(type("java.util.List<dev.unroll.runtime.spec.Violation>"), "[]", java.util.ArrayList::new)
                .add(type("java.util.List<dev.unroll.runtime.spec.Violation>"), "[null]", () -> new java.util.ArrayList<>(java.util.Collections.singletonList(null)));
        v.add(InvalidDescriptorException.class, "one violation",
                () -> new InvalidDescriptorException(List.of(new Violation(Diagnostic.TOO_LARGE, "width", "too large"))));
        v.add(ShapeMismatchException.class, "x: [1] vs [2]", () -> new ShapeMismatchException("x", new long[] {1}, new long[] {2}));
        v.add(UnrollException.class, "a message", () -> new UnrollException("m"));
        v.add(SafetensorsFormatException.class, "a message", () -> new SafetensorsFormatException("m"));
        Type set = type("java.util.Set<java.lang.String>");
        v.add(set, "{\"width\"}", () -> new java.util.HashSet<>(List.of("width"))).add(set, "{}", java.util.HashSet::new)
                .add(set, "{null}", () -> new java.util.HashSet<>(java.util.Collections.singleton(null)));
    }

    private static Tensor tensor(int... shape) {
        Tensor t = Tensor.zeros(shape);
        for (int i = 0; i < t.data().length; i++) {
            t.data()[i] = (float) (0.3 * Math.sin(0.7 * i + shape.length));
        }
        return t;
    }

    private static void fla(Values v) {
        v.add(Tensor.class, "[1, 3, 2, 4]", () -> tensor(1, 3, 2, 4)).add(Tensor.class, "[1, 3, 2]", () -> tensor(1, 3, 2))
                .add(Tensor.class, "[3, 2, 4] (rank 3)", () -> tensor(3, 2, 4)).add(Tensor.class, "[1, 3, 2, 5]", () -> tensor(1, 3, 2, 5))
                .add(Tensor.class, "[1, 0, 2, 4] (no tokens)", () -> tensor(1, 0, 2, 4)).add(Tensor.class, "[1, 3, 2, 0] (K = 0)", () -> tensor(1, 3, 2, 0))
                .add(Tensor.class, "[1, 3, 2, 4] of NaN", () -> {
                    Tensor t = tensor(1, 3, 2, 4);
                    Arrays.fill(t.data(), Float.NaN);
                    return t;
                }).add(Tensor.class, "[1, 3, 2, 4] of 300", () -> {
                    Tensor t = tensor(1, 3, 2, 4);
                    Arrays.fill(t.data(), 300f);
                    return t;
                }).add(Tensor.class, "[] (a scalar)", () -> Tensor.of(new float[] {1f})).add(Tensor.class, "[1, 2, 4, 4] (a state)", () -> tensor(1, 2, 4, 4));
        v.add(Result.class, "o and a state", () -> new Result(tensor(1, 3, 2, 4), tensor(1, 2, 4, 4)));
        v.add(Fla.MlstmResult.class, "h only", () -> new Fla.MlstmResult(tensor(1, 2, 3, 4), null, null, null));
    }

    /** fla's GatedDeltaNet layer: width 16 (the float[] baseline), 2 heads of 4; grouped values without gate; a huge shape. */
    private static void flaLayers(Values v) {
        GatedDeltaNetConfig small = GatedDeltaNetConfig.of(16, 2, 4);
        GatedDeltaNetConfig gva = small.withNumVHeads(4).withSwitches(false, true, true).withConv(3, true);
        v.add(GatedDeltaNetConfig.class, "hidden 16, 2 heads of 4", () -> small).add(GatedDeltaNetConfig.class, "GVA 4 over 2, no gate", () -> gva)
                .add(GatedDeltaNetConfig.class, "no short convolutions", () -> small.withSwitches(true, false, false))
                .add(GatedDeltaNetConfig.class, "hidden 65536, 32 heads of 256 (GBs of weights)", () -> GatedDeltaNetConfig.of(65536, 32, 256));
        v.add(GatedDeltaNetWeights.class, "seeded, hidden 16", () -> Memo.get("gdn weights", () -> GatedDeltaNetWeights.seeded(small, 1)))
                .add(GatedDeltaNetWeights.class, "seeded GVA", () -> Memo.get("gdn gva weights", () -> GatedDeltaNetWeights.seeded(gva, 2)));
        v.add(GatedDeltaNetLayer.class, "hidden 16", () -> new GatedDeltaNetLayer(Memo.get("gdn weights", () -> GatedDeltaNetWeights.seeded(small, 1))))
                .add(GatedDeltaNetLayer.class, "GVA", () -> new GatedDeltaNetLayer(Memo.get("gdn gva weights", () -> GatedDeltaNetWeights.seeded(gva, 2))));
        v.add(GatedDeltaNetState.class, "a zero state, hidden 16", () -> new GatedDeltaNetState(small))
                .add(GatedDeltaNetState.class, "a GVA state (another configuration)", () -> new GatedDeltaNetState(gva));
        for (Class<?> c : List.of(char.class, Character.class)) {
            v.add(c, "'q'", () -> 'q').add(c, "'v'", () -> 'v').add(c, "'x'", () -> 'x').add(c, "'\\0'", () -> '\0');
        }
    }

    private static void safetensors(Values v) {
        v.add(SafetensorsFile.class, "GLA weights (in memory)", () -> read(seed(SEEDS.get("safetensors"))))
                .add(SafetensorsFile.class, "every dtype (in memory)", () -> read(seed("safetensors/dtypes.safetensors")));
        v.add(SafetensorsShards.class, "two shards", () -> SafetensorsShards.openFolder(shardedFolder()));
        v.add(dev.unroll.runtime.gguf.GgufFile.class, "llama.cpp's Q4_0 stories260K",
                () -> dev.unroll.runtime.gguf.GgufFile.open(fresh("q4_0.gguf", gguf())))
                .add(dev.unroll.runtime.gguf.GgufFile.class, "a byte-level BPE vocabulary (tiny, llama-bpe)",
                        () -> dev.unroll.runtime.gguf.GgufFile.open(fresh("bpe.gguf", bpeGguf(Map.of()))))
                .add(dev.unroll.runtime.gguf.GgufFile.class, "a byte-level BPE vocabulary whose merge names an unknown token",
                        () -> dev.unroll.runtime.gguf.GgufFile.open(fresh("bpe-bad.gguf", bpeGguf(Map.of("tokenizer.ggml.merges", List.of("zz qq"))))));
        v.add(dev.unroll.runtime.gguf.GgufTensor.class, "a Q8_0 matrix", () -> new dev.unroll.runtime.gguf.GgufTensor("blk.0.attn_q.weight",
                new long[] {64, 64}, dev.unroll.runtime.gguf.GgmlType.Q8_0, 0, 64 * 2 * 34));
        v.add(dev.unroll.runtime.weights.BlockCodes.class, "Q4 codes of a 2 x 40 matrix", () -> dev.unroll.runtime.weights.BlockCodes.quantise("w",
                dev.unroll.annotations.WeightFormat.Q4, ramp(80), 2, 40))
                .add(dev.unroll.runtime.weights.BlockCodes.class, "Q8 codes of a 3 x 3 matrix", () -> dev.unroll.runtime.weights.BlockCodes.quantise("w",
                        dev.unroll.annotations.WeightFormat.Q8, ramp(9), 3, 3))
                .add(dev.unroll.runtime.weights.BlockCodes.class, "Q4 codes all 15, the largest scale", () -> new dev.unroll.runtime.weights.BlockCodes(
                        dev.unroll.annotations.WeightFormat.Q4, 1, 4, new byte[] {15, 15, 15, 15}, new float[] {65504f}));
        v.add(SafetensorsWriter.class, "a writer of one tensor", () -> new SafetensorsWriter().add("x", DType.F32, new long[] {1}, new float[] {1f}))
                .add(SafetensorsWriter.class, "an empty writer", SafetensorsWriter::new);
        v.add(TensorInfo.class, "a tensor's entry", () -> read(seed(SEEDS.get("safetensors"))).tensors().values().iterator().next());
        v.add(TensorSource.class, "GLA weights", () -> TensorSource.of(read(seed(SEEDS.get("safetensors")))))
                .add(TensorSource.class, "an empty source", () -> TensorSource.of("nothing", Map.of()))
                .add(TensorSource.class, "a GLA's weights, one missing", () -> {
                    Map<String, TensorSource.Array> m = new LinkedHashMap<>();
                    AttentionWeights w = AttentionWeights.seeded(GLA);
                    for (WeightTensor t : WeightLayout.of(GLA).subList(1, WeightLayout.of(GLA).size())) {
                        m.put(t.name(), new TensorSource.Array(t.longShape(), w.get(t.name())));
                    }
                    return TensorSource.of("partial", m);
                });
        v.add(TensorSource.class, "an official TinyRecursiveModels checkpoint", () -> {
            try (InputStream in = RuntimeValues.class.getResourceAsStream("/dev/unroll/runtime/fuzz/OfficialTrmFuzzTestInputs/checkpoint/tiny-bf16.safetensors")) {
                return TensorSource.of(read(in.readAllBytes()));
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
        Type settings = type("java.util.Map<java.lang.String, java.lang.String>");
        v.add(settings, "the official checkpoint seed's arch settings", () -> new LinkedHashMap<>(dev.unroll.runtime.trm.OfficialTrmFixture.SEED_ARCH))
                .add(settings, "{}", LinkedHashMap::new).add(settings, "{cycles: 3}", () -> new LinkedHashMap<>(Map.of("cycles", "3")))
                .add(settings, "{L_cycles: -1, seq_len: 1e9}", () -> new LinkedHashMap<>(Map.of("L_cycles", "-1", "seq_len", "1e9")))
                .add(settings, "{seq_len: 2147483647}", () -> new LinkedHashMap<>(Map.of("seq_len", "2147483647", "num_heads", "2")))
                .add(settings, "{null: 1, seq_len: null}", () -> {
                    Map<String, String> m = new java.util.HashMap<>();
                    m.put(null, "1");
                    m.put("seq_len", null);
                    return m;
                });
        v.add(TensorSource.Array.class, "[2] of {1, 2}", () -> new TensorSource.Array(new long[] {2}, new double[] {1, 2}));
        Type arrays = type("java.util.Map<java.lang.String, dev.unroll.runtime.weights.TensorSource$Array>");
        v.add(arrays, "{x: [2]}", () -> new LinkedHashMap<>(Map.of("x", new TensorSource.Array(new long[] {2}, new double[] {1, 2}))))
                .add(arrays, "{}", LinkedHashMap::new).add(arrays, "{x: null}", () -> {
                    Map<String, TensorSource.Array> m = new LinkedHashMap<>();
                    m.put("x", null);
                    return m;
                });
    }

    /** A safetensors file read into memory (no channel left open). */
    public static SafetensorsFile read(byte[] bytes) {
        return SafetensorsFile.read(new ByteArrayInputStream(bytes), 1 << 24, "sweep.safetensors");
    }

    private static void transformer(Values v) {
        v.add(TransformerSpec.class, "stories260K", () -> Stories.model().spec())
                .add(TransformerSpec.class, "stories260K, layers 1..3 twice", () -> Stories.model().spec().withBlock(new TransformerSpec.Block(1, 3, 2)));
        v.add(TransformerSpec.Block.class, "1..3 x 2", () -> new TransformerSpec.Block(1, 3, 2));
        v.add(TransformerSpec.Builder.class, "builder(2, 8, 2, 8, 16, 8)", () -> TransformerSpec.builder(2, 8, 2, 8, 16, 8));
        v.add(TransformerWeights.class, "stories260K", () -> Stories.checkpoint().weights());
        for (Class<?> c : List.of(GenericTransformer.class, TransformerModel.class)) {
            v.add(c, "generic stories260K", Stories::model);
        }
        v.add(Llama2c.Checkpoint.class, "stories260K", Stories::checkpoint);
        v.add(CachedGenerator.class, "stories260K", () -> new CachedGenerator(Stories.model()));
        v.add(RecomputeGenerator.class, "stories260K", () -> new RecomputeGenerator(Stories.model()));
        for (Class<?> c : List.of(DecodeRunner.class, DecodeSession.class)) {
            v.add(c, "a session of 8 positions", () -> new CachedGenerator(Stories.model()).open(null, null, 1, 8));
        }
        v.add(BatchDecodeRunner.class, "a batch of 2 sequences", () -> TransformerRunners.openBatch(Stories.model(), 2, dev.unroll.runtime.backend.Backend.JVM))
                .add(BatchDecodeRunner.class, "a closed batch of 1 sequence", () -> {
                    BatchDecodeRunner r = TransformerRunners.openBatch(Stories.model(), 1, null);
                    r.close();
                    return r;
                });
        v.add(Generation.class, "greedy from BOS, 4 tokens", () -> Generation.greedy(new int[] {1}, 4))
                .add(Generation.class, "greedy, Integer.MAX_VALUE tokens", () -> Generation.greedy(new int[] {1}, Integer.MAX_VALUE))
                .add(Generation.class, "greedy from token 600", () -> Generation.greedy(new int[] {600}, 2))
                .add(Generation.class, "a recurrent pass with a hook on layer 99", () -> Generation.greedy(new int[] {1}, 2)
                        .withRecurrence(RecurrentPassSpec.noFeedback(1, 3)).withHooks(new Hooks().capture(HookPoint.RESID_POST, 99, Hooks.ANY)));
        v.add(GenerationResult.class, "4 tokens", () -> Memo.get("result", () -> new CachedGenerator(Stories.model()).generate(Generation.greedy(new int[] {1}, 4))));
        v.add(Hooks.class, "no hooks", Hooks::new).add(Hooks.class, "a capture of layer 99", () -> new Hooks().capture(HookPoint.RESID_POST, 99, Hooks.ANY))
                .add(Hooks.class, "an intervention of width 3", () -> new Hooks().add(HookPoint.RESID_POST, 1, Hooks.ANY, new float[3]));
        v.add(Hooks.Capture.class, "a capture", () -> new Hooks.Capture(HookPoint.RESID_POST, 0, 0, 0, new float[64]));
        v.add(KvCache.class, "8 positions x 32", () -> new KvCache(8, 32));
        v.add(KvCache[].class, "5 caches of 512 x 32", () -> caches(5, 512, 32)).add(KvCache[].class, "KvCache[0]", () -> new KvCache[0])
                .add(KvCache[].class, "{null}", () -> new KvCache[] {null}).add(KvCache[].class, "5 caches of 8 x 32", () -> caches(5, 8, 32))
                .add(KvCache[].class, "5 caches of 512 x 16", () -> caches(5, 512, 16));
        v.add(KvCache[][].class, "{5 caches of 512 x 32}", () -> new KvCache[][] {caches(5, 512, 32)})
                .add(KvCache[][].class, "KvCache[0][]", () -> new KvCache[0][]).add(KvCache[][].class, "{null}", () -> new KvCache[][] {null})
                .add(KvCache[][].class, "one sequence's caches twice", () -> {
                    KvCache[] c = caches(5, 512, 32);
                    return new KvCache[][] {c, c};
                })
                .add(KvCache[][].class, "{5 caches of 8 x 32}", () -> new KvCache[][] {caches(5, 8, 32)})
                .add(KvCache[][].class, "{{null}}", () -> new KvCache[][] {{null}});
        v.add(RecurrentPassSpec.class, "layers 1..3 twice", () -> RecurrentPassSpec.noFeedback(1, 3).withDepth(2))
                .add(RecurrentPassSpec.class, "layers 4..4 64 times", () -> RecurrentPassSpec.noFeedback(4, 4).withDepth(64))
                .add(RecurrentPassSpec.class, "feedback at position 1000", () -> RecurrentPassSpec.noFeedback(1, 3).addFeedback(1000, new float[64], 1f));
        v.add(RecurrentPassSpec.Feedback.class, "at 0, width 64", () -> new RecurrentPassSpec.Feedback(0, new float[64], new long[] {64}, 1f));
        v.add(Sampler.class, "greedy", Sampler::greedy).add(Sampler.class, "t 0.8, top-p 0.9", () -> new Sampler(0.8f, 0.9f, 7));
        v.add(Tokenizer.class, "tok512", () -> Memo.get("tok512", () -> Tokenizer.load(TestData.fixture("models/stories260K/tok512.bin"), 512)));
        v.add(HfTokenizer.class, "tiny byte-level", () -> Memo.get("hf-bytelevel", () -> HfTokenizer.load(TestData.fixture("tokenizers/tiny-bytelevel/tokenizer.json"))))
                .add(HfTokenizer.class, "tiny sentencepiece", () -> Memo.get("hf-sentencepiece", () -> HfTokenizer.load(TestData.fixture("tokenizers/tiny-sentencepiece/tokenizer.json"))));
        Type tree = type("java.util.Map<java.lang.String, ?>");
        v.add(tree, "the tiny byte-level tokenizer.json", RuntimeValues::tinyTree).add(tree, "{}", java.util.HashMap::new)
                .add(tree, "an int where JSON has a Long", () -> {
                    Map<String, Object> m = tinyTree();
                    ((Map<String, Object>) ((Map<String, Object>) m.get("model")).get("vocab")).put("zz", 7);
                    return m;
                }).add(tree, "a key that is not a string", () -> {
                    Map<Object, Object> m = new java.util.HashMap<>(tinyTree());
                    m.put(1, "x");
                    return m;
                }).add(tree, "a map holding itself", () -> {
                    Map<String, Object> m = new java.util.HashMap<>(tinyTree());
                    m.put("pre_tokenizer", m);
                    return m;
                }).add(tree, "a model of type Unigram", () -> {
                    Map<String, Object> m = tinyTree();
                    ((Map<String, Object>) m.get("model")).put("type", "Unigram");
                    return m;
                });
        Type ints = type("java.util.Set<java.lang.Integer>");
        v.add(ints, "{2}", () -> new java.util.HashSet<>(List.of(2))).add(ints, "{}", java.util.HashSet::new)
                .add(ints, "{null}", () -> new java.util.HashSet<>(java.util.Collections.singleton(null)))
                .add(ints, "{-1, Integer.MAX_VALUE}", () -> new java.util.HashSet<>(List.of(-1, Integer.MAX_VALUE)));
    }

    private static KvCache[] caches(int n, int positions, int width) {
        KvCache[] c = new KvCache[n];
        for (int i = 0; i < n; i++) {
            c[i] = new KvCache(positions, width);
        }
        return c;
    }

    private static void trm(Values v) {
        TrmSpec attention = TrmSpec.fromJson(Map.of("hidden", 32L, "context", 9L, "vocab", 5L, "layers", 1L, "mixer", "ATTENTION", "heads", 2L,
                "haltOutputs", 2L, "maxSupervisionSteps", 2L));
        v.add(TrmSpec.class, "hidden 32, MLP mixer", () -> TRM).add(TrmSpec.class, "hidden 32, attention", () -> attention);
        v.add(TrmSpec.Builder.class, "the seed model's builder", TrmSpec::builder);
        v.add(TrmWeights.class, "seeded hidden 32", () -> Memo.get("trm weights", () -> TrmWeights.seeded(TRM)))
                .add(TrmWeights.class, "seeded hidden 32, attention", () -> Memo.get("trm attention weights", () -> TrmWeights.seeded(attention)));
        for (Class<?> c : List.of(GenericTrm.class, TrmModel.class)) {
            v.add(c, "generic hidden 32", () -> Memo.get("trm", () -> new GenericTrm(TrmWeights.seeded(TRM))))
                    .add(c, "generic hidden 32, attention", () -> Memo.get("trm attention", () -> new GenericTrm(TrmWeights.seeded(attention))));
        }
        v.add(TrmCarry.class, "the initial carry of 1 puzzle", () -> Memo.<GenericTrm>get("trm", () -> new GenericTrm(TrmWeights.seeded(TRM))).initialCarry(1))
                .add(TrmCarry.class, "a carry of 2 puzzles", () -> Memo.<GenericTrm>get("trm", () -> new GenericTrm(TrmWeights.seeded(TRM))).initialCarry(2));
        v.add(TrmRunner.class, "a runner of 1 puzzle", () -> TrmRunners.open(Memo.get("trm", () -> new GenericTrm(TrmWeights.seeded(TRM))), 1));
        v.add(TrmResult.class, "one puzzle", () -> new TrmResult(new int[] {1, 2, 3}, new int[] {1}, new float[] {0.5f}));
        v.add(TrmStep.class, "a step", () -> new TrmStep(new float[45], new float[1]));
        v.add(TrmModel.LayerObserver.class, "(layer, x) -> {}", () -> (TrmModel.LayerObserver) (l, x) -> { });
    }

    /** Immutable fixtures made once (layers, models, weights): sharing them is their documented contract. */
    static final class Memo {
        private static final Map<String, Object> MADE = new java.util.HashMap<>();

        @SuppressWarnings("unchecked")
        static <T> T get(String key, Supplier<T> make) {
            synchronized (MADE) {
                Object o = MADE.get(key);
                if (o == null) {
                    o = make.get(); // may itself make others: no computeIfAbsent
                    MADE.put(key, o);
                }
                return (T) o;
            }
        }
    }

    /** stories260K, loaded once. */
    static final class Stories {
        static Llama2c.Checkpoint checkpoint() {
            return Memo.get("stories", () -> Llama2c.load(TestData.fixture("models/stories260K/stories260K.bin")));
        }

        static TransformerModel model() {
            return Memo.get("stories model", () -> new GenericTransformer(checkpoint().weights()));
        }
    }

    /** {@code n} values from -1 to 1. */
    private static float[] ramp(int n) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = n == 1 ? 0f : -1f + 2f * i / (n - 1);
        }
        return f;
    }
}
