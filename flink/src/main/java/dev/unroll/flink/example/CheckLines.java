package dev.unroll.flink.example;

import dev.unroll.flink.AttentionOutput;
import dev.unroll.flink.FinalState;
import dev.unroll.runtime.attention.AttentionState;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The lines of {@code SensorFeaturesJob --output check}, which {@link SensorFeaturesCheck} reads:
 * no Flink class here, so that the check runs on the job jar alone.
 */
public final class CheckLines {
    private CheckLines() {}

    /**
     * @param o an output
     * @return {@code out KEY TOKENS HEX}: the output's float bits, 8 hex digits each
     */
    public static String output(AttentionOutput<String> o) {
        StringBuilder b = new StringBuilder(16 + 8 * o.y.length).append("out ").append(o.key).append(' ').append(o.tokens).append(' ');
        for (float v : o.y) {
            b.append(HexFormat.of().toHexDigits(Float.floatToRawIntBits(v)));
        }
        return b.toString();
    }

    /**
     * @param f a key's final state
     * @return {@code state KEY TOKENS SHA256}: the SHA-256 of the state's serialised form
     */
    public static String state(FinalState<String> f) {
        return "state " + f.key + " " + AttentionState.fromBytes(f.state).tokens() + " " + sha256(f.state);
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is in every JDK", e);
        }
    }
}
