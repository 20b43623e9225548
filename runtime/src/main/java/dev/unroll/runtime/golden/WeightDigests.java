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
 * order. A mismatch is an error naming the tensor, never a comparison against other weights.
 */
final class WeightDigests {
    private WeightDigests() {}

    static Map<String, TensorSource.Array> regenerate(String source, AttentionSpec spec, Object digest) {
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
