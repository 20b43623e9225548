package dev.unroll.runtime.golden;

import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.attention.AttentionSpec;
import dev.unroll.runtime.attention.AttentionWeights;
import dev.unroll.runtime.attention.WeightLayout;
import dev.unroll.runtime.attention.WeightTensor;
import dev.unroll.runtime.internal.json.Json;
import dev.unroll.runtime.weights.TensorSource;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reference files that carry digests of their weights instead of the weights: the weights are
 * regenerated from the descriptor's seed (Unroll's initialisation draws what the reference draws;
 * its libm and the JDK's may differ in the last bit of an f64, so digests are taken over the values
 * rounded to f32) and checked against the digests before anything is compared.
 *
 * <p>A digest is the lower-case hex SHA-256 of a tensor's values rounded to f32, little-endian, in
 * its row-major order. {@code weights_digest} is either an object, tensor name to digest (every tensor
 * of the layer named), or one string: the digest of every tensor's bytes in the layer's canonical
 * order. The reference's own width-64 files give a list instead, in draw order, of statistics per
 * tensor ({@code name}, {@code shape}, {@code n}, {@code sum} and {@code sum_sq} accumulated left to
 * right in f64, {@code first4}, {@code last4}); those are compared within {@link #STATISTICS_TOLERANCE}
 * (the two libms may differ in the last bit of a draw). A mismatch is an error naming the tensor, never
 * a comparison against other weights.
 */
final class WeightDigests {
    private WeightDigests() {}

    /**
     * How close the reference's statistics must be to the regenerated weights':
     * {@code |got - stated| <= 1e-9 max(1, |stated|)}. Last-bit differences of 0.01-scale draws move a
     * sum by about 1e-16; other weights (another seed, another draw order) move it by about 1e-3.
     */
    static final double STATISTICS_TOLERANCE = 1e-9;

    static Map<String, TensorSource.Array> regenerate(String source, AttentionSpec spec, Object digest) {
        if (digest instanceof List<?> list) {
            return statistics(source, spec, list);
        }
        AttentionWeights w = AttentionWeights.seeded(spec);
        Map<String, TensorSource.Array> out = new LinkedHashMap<>();
        MessageDigest all = sha256();
        Map<String, Object> named = digest instanceof String ? null : Json.asObject(digest, ReferenceGolden.DIGEST);
        if (named != null) {
            Json.onlyKnown(named, w.names(), ReferenceGolden.DIGEST);
        }
        for (WeightTensor t : WeightLayout.of(spec)) {
            double[] values = w.get(t.name());
            byte[] bytes = bytes(values);
            all.update(bytes);
            if (named != null) {
                Object want = named.get(t.name());
                if (want == null) {
                    throw new UnrollException(source + ": " + ReferenceGolden.DIGEST + " has no digest for tensor '" + t.name() + "'");
                }
                check(source, "tensor '" + t.name() + "'", Json.asString(want, ReferenceGolden.DIGEST + "." + t.name()), hex(sha256().digest(bytes)), spec);
            }
            out.put(t.name(), new TensorSource.Array(t.longShape(), values));
        }
        if (named == null) {
            check(source, "the weights", (String) digest, hex(all.digest()), spec);
        }
        return out;
    }

    /** The width-64 files' form: per tensor, in draw order, its shape, count, sums and first and last values. */
    private static Map<String, TensorSource.Array> statistics(String source, AttentionSpec spec, List<?> digest) {
        java.util.List<WeightTensor> layout = WeightLayout.of(spec);
        if (digest.size() != layout.size()) {
            throw new UnrollException(source + ": " + ReferenceGolden.DIGEST + " lists " + digest.size() + " tensors; " + spec.describe() + " draws "
                    + layout.size() + ": " + layout.stream().map(WeightTensor::name).toList());
        }
        AttentionWeights w = AttentionWeights.seeded(spec);
        Map<String, TensorSource.Array> out = new LinkedHashMap<>();
        for (int i = 0; i < layout.size(); i++) {
            WeightTensor t = layout.get(i);
            String at = ReferenceGolden.DIGEST + "[" + i + "]";
            Map<String, Object> e = Json.asObject(digest.get(i), at);
            Json.onlyKnown(e, java.util.List.of("name", "shape", "n", "sum", "sum_sq", "first4", "last4"), at);
            String name = Json.asString(Json.required(e, "name"), at + ".name");
            if (!name.equals(t.name())) {
                throw new UnrollException(source + ": " + at + " is tensor '" + name + "'; " + spec.describe() + " draws '" + t.name()
                        + "' there (the list is in draw order)");
            }
            double[] values = w.get(t.name());
            long[] shape = longs(Json.required(e, "shape"), at);
            if (!java.util.Arrays.equals(shape, t.longShape())) {
                throw new UnrollException(source + ": " + at + " ('" + name + "') has shape " + e.get("shape") + "; the layer's is "
                        + java.util.Arrays.toString(t.longShape()));
            }
            if (Json.asLong(Json.required(e, "n"), at + ".n") != values.length) {
                throw new UnrollException(source + ": " + at + " ('" + name + "') has n = " + e.get("n") + "; the tensor holds " + values.length);
            }
            double sum = 0;
            double sumSq = 0;
            for (double v : values) {
                sum += v;
                sumSq += v * v;
            }
            statistic(source, name, "sum", Json.asDouble(Json.required(e, "sum"), at + ".sum"), sum, spec);
            statistic(source, name, "sum_sq", Json.asDouble(Json.required(e, "sum_sq"), at + ".sum_sq"), sumSq, spec);
            double[] first = Json.flatDoubles(Json.required(e, "first4"), at + ".first4");
            double[] last = Json.flatDoubles(Json.required(e, "last4"), at + ".last4");
            int k = Math.min(4, values.length);
            if (first.length != k || last.length != k) {
                throw new UnrollException(source + ": " + at + " ('" + name + "') gives " + first.length + " first and " + last.length
                        + " last values; a tensor of " + values.length + " has " + k);
            }
            for (int j = 0; j < k; j++) {
                statistic(source, name, "first4[" + j + "]", first[j], values[j], spec);
                statistic(source, name, "last4[" + j + "]", last[j], values[values.length - k + j], spec);
            }
            out.put(t.name(), new TensorSource.Array(t.longShape(), values));
        }
        return out;
    }

    private static long[] longs(Object list, String what) {
        double[] d = Json.flatDoubles(list, what + ".shape");
        long[] l = new long[d.length];
        for (int i = 0; i < d.length; i++) {
            l[i] = (long) d[i];
            if (l[i] != d[i]) {
                throw new UnrollException(what + ".shape: " + d[i] + " is not an integer");
            }
        }
        return l;
    }

    private static void statistic(String source, String tensor, String what, double stated, double got, AttentionSpec spec) {
        if (!(Math.abs(got - stated) <= STATISTICS_TOLERANCE * Math.max(1, Math.abs(stated)))) {
            throw new UnrollException(source + ": " + ReferenceGolden.DIGEST + " of tensor '" + tensor + "': " + what + " is " + stated
                    + "; the weights regenerated from seed " + spec.seed() + " give " + got + " (tolerance " + STATISTICS_TOLERANCE
                    + " x max(1, |stated|)): the file was made with other weights");
        }
    }

    private static void check(String source, String what, String want, String got, AttentionSpec spec) {
        if (!want.equalsIgnoreCase(got)) {
            throw new UnrollException(source + ": " + ReferenceGolden.DIGEST + " of " + what + " is " + want + "; the weights regenerated from "
                    + "seed " + spec.seed() + " give " + got + " (SHA-256 of the values as little-endian f32): the file was made with other weights");
        }
    }

    static byte[] bytes(double[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        for (double v : values) {
            b.putFloat((float) v);
        }
        return b.array();
    }

    static String hex(byte[] digest) {
        return HexFormat.of().formatHex(digest);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
