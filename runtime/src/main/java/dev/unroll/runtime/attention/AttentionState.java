package dev.unroll.runtime.attention;

import dev.unroll.annotations.Precision;
import dev.unroll.runtime.Limits;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.attention.definition.Modes;
import dev.unroll.runtime.internal.json.Json;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The streaming state of one linear-attention stream: per-head matrices {@code [H][K][V]}
 * (Hawk: vectors {@code [H][V]}; LogLinear: levels {@code [H][L][K][V]} plus the active-level mask),
 * and the token count. The values are stored in the kernel's precision.
 *
 * <p>{@link #snapshot()} / {@link #restore(AttentionState)} round-trip bit for bit;
 * {@link #toBytes()} is a stable serialised form (format {@code UNRS} version 1, documented in
 * {@code docs/linear-attention.md}) that records the descriptor it belongs to.
 *
 * <p>Thread-safety: not thread-safe; a state belongs to one stream, used by one thread at a time.
 */
public final class AttentionState {
    private static final int MAGIC = 0x554e5253; // "UNRS"
    private static final int VERSION = 1;
    /** Descriptor JSON by spec and spec by JSON: states of one layer are written and read per event (Flink's keyed state). */
    private static final java.util.Map<AttentionSpec, byte[]> JSON_OF = new java.util.concurrent.ConcurrentHashMap<>();
    private static final java.util.Map<String, AttentionSpec> SPEC_OF = new java.util.concurrent.ConcurrentHashMap<>();
    private static final int CACHED = 256;
    /**
     * The largest token counter a serialised state may carry: {@code 2^62}, what a Log-Linear state's
     * 62 levels cover, and far from the wrap of a {@code long} (a counter of {@code Long.MAX_VALUE}
     * would turn negative on its next token).
     */
    public static final long MAX_TOKENS = 1L << 62;

    private final AttentionSpec spec;
    private final float[] f32;
    private final double[] f64;
    private final long[] meta;
    private Object workspaceOwner;
    private Object workspace;

    /**
     * A zero state.
     *
     * @param spec the layer (its precision picks the storage)
     */
    public AttentionState(AttentionSpec spec) {
        this.spec = dev.unroll.runtime.internal.Checks.notNull("AttentionState: spec", spec);
        int n = spec.stateSize();
        this.f32 = spec.precision() == Precision.F32 ? new float[n] : null;
        this.f64 = spec.precision() == Precision.F64 ? new double[n] : null;
        this.meta = new long[2];
    }

    /** @return the layer this state belongs to */
    public AttentionSpec spec() {
        return spec;
    }

    /** @return tokens consumed since the last reset */
    public long tokens() {
        return meta[0];
    }

    /** @return LogLinear's active-level mask (bit l: level l holds data); 0 for other modes */
    public long levelMask() {
        return meta[1];
    }

    /** Zeroes the values, the counter and the mask. */
    public void reset() {
        if (f32 != null) {
            Arrays.fill(f32, 0f);
        } else {
            Arrays.fill(f64, 0.0);
        }
        Arrays.fill(meta, 0L);
    }

    /** @return an independent copy */
    public AttentionState snapshot() {
        AttentionState s = new AttentionState(spec);
        s.restore(this);
        return s;
    }

    /**
     * Makes this state equal to another of the same layer.
     *
     * @param from a snapshot
     */
    public void restore(AttentionState from) {
        dev.unroll.runtime.internal.Checks.notNull("AttentionState.restore: the snapshot", from);
        if (!from.spec.equals(spec)) {
            throw new UnrollException("cannot restore a state of " + from.spec.describe() + " into one of " + spec.describe());
        }
        if (f32 != null) {
            System.arraycopy(from.f32, 0, f32, 0, f32.length);
        } else {
            System.arraycopy(from.f64, 0, f64, 0, f64.length);
        }
        System.arraycopy(from.meta, 0, meta, 0, meta.length);
    }

    /** @return the values in the reference layout, as doubles (a copy) */
    public double[] values() {
        if (f64 != null) {
            return f64.clone();
        }
        double[] d = new double[f32.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = f32[i];
        }
        return d;
    }

    /**
     * Overwrites the values (for tests and imports), keeping the counter.
     *
     * @param values reference layout, length {@link AttentionSpec#stateSize()}
     */
    public void setValues(double[] values) {
        dev.unroll.runtime.internal.Checks.notNull("AttentionState.setValues: values", values);
        if (values.length != spec.stateSize()) {
            throw new dev.unroll.runtime.ShapeMismatchException("state values", new long[] {spec.stateSize()}, new long[] {values.length});
        }
        for (int i = 0; i < values.length; i++) {
            if (f32 != null) {
                f32[i] = (float) values[i];
            } else {
                f64[i] = values[i];
            }
        }
    }

    /**
     * The f32 storage itself, for generated kernels (null at f64).
     *
     * @return the live array
     */
    public float[] f32() {
        return f32;
    }

    /**
     * The f64 storage itself, for generated kernels (null at f32).
     *
     * @return the live array
     */
    public double[] f64() {
        return f64;
    }

    /**
     * {@code [tokens, levelMask]}, for generated kernels.
     *
     * @return the live array
     */
    public long[] meta() {
        return meta;
    }

    /**
     * The workspace a layer keeps with this stream (buffers reused across calls).
     *
     * @param owner the layer asking
     * @return its workspace, or null when none or another layer's
     */
    public Object workspace(Object owner) {
        return workspaceOwner == owner ? workspace : null;
    }

    /**
     * @param owner the layer
     * @param w its workspace for this stream
     */
    public void setWorkspace(Object owner, Object w) {
        workspaceOwner = owner;
        workspace = w;
    }

    /**
     * Serialises: magic, version, descriptor JSON, precision, counter and mask, values (all
     * little-endian).
     *
     * @return the bytes
     */
    public byte[] toBytes() {
        byte[] desc = descriptorBytes(spec);
        int n = spec.stateSize();
        int valueBytes = f32 != null ? 4 * n : 8 * n;
        ByteBuffer b = ByteBuffer.allocate(4 + 4 + 4 + desc.length + 1 + 16 + 4 + valueBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MAGIC).putInt(VERSION).putInt(desc.length).put(desc);
        b.put((byte) (f32 != null ? 32 : 64));
        b.putLong(meta[0]).putLong(meta[1]);
        b.putInt(n);
        if (f32 != null) {
            for (float v : f32) {
                b.putFloat(v);
            }
        } else {
            for (double v : f64) {
                b.putDouble(v);
            }
        }
        return b.array();
    }

    /**
     * Reads {@link #toBytes()} output.
     *
     * @param bytes serialised state
     * @return the state
     */
    public static AttentionState fromBytes(byte[] bytes) {
        dev.unroll.runtime.internal.Checks.notNull("AttentionState.fromBytes: bytes", bytes);
        java.nio.charset.CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT).onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT);
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        try {
            if (b.getInt() != MAGIC) {
                throw new UnrollException("not a serialised attention state (bad magic)");
            }
            int version = b.getInt();
            if (version != VERSION) {
                throw new UnrollException("unsupported attention state version " + version);
            }
            int descLen = b.getInt();
            if (descLen < 0 || descLen > b.remaining()) {
                throw new UnrollException("corrupt attention state: descriptor length " + descLen);
            }
            byte[] desc = new byte[descLen];
            b.get(desc);
            AttentionSpec spec;
            try {
                spec = spec(utf8.decode(ByteBuffer.wrap(desc)).toString());
            } catch (java.nio.charset.CharacterCodingException | IllegalArgumentException e) {
                throw new UnrollException("corrupt attention state: its descriptor is not a valid one (" + e.getMessage() + ")", e);
            }
            int bits = b.get();
            if ((bits == 32) != (spec.precision() == Precision.F32)) {
                throw new UnrollException("corrupt attention state: " + bits + "-bit values for " + spec.precision());
            }
            long tokens = b.getLong();
            long mask = b.getLong();
            int n = b.getInt();
            long need = Limits.product("attention state values", spec.stateSize(), bits / 8);
            // every size is checked against the bytes present before anything is allocated
            if (n != spec.stateSize() || need != b.remaining()) {
                throw new UnrollException("corrupt attention state: " + n + " values in " + b.remaining() + " bytes, " + spec.describe()
                        + " has " + spec.stateSize() + " (" + need + " bytes)");
            }
            if (tokens < 0 || tokens > MAX_TOKENS) {
                throw new UnrollException("corrupt attention state: token counter " + tokens + " (it counts from 0 to 2^62 = " + MAX_TOKENS + ")");
            }
            boolean levels = Modes.of(spec.mode()).levelMask();
            int maxLevels = levels ? spec.get(dev.unroll.runtime.attention.mode.LogLinearMode.MAX_LEVELS) : 0;
            if (levels ? maxLevels < 64 && (mask >>> maxLevels) != 0 : mask != 0) {
                throw new UnrollException("corrupt attention state: level mask 0x" + Long.toHexString(mask) + " for "
                        + (levels ? maxLevels + " levels" : "a mode without levels"));
            }
            if (levels && mask != levelMaskAfter(tokens, maxLevels)) {
                throw new UnrollException("corrupt attention state: level mask 0x" + Long.toHexString(mask) + " for " + tokens + " tokens; a state of "
                        + maxLevels + " levels holds mask 0x" + Long.toHexString(levelMaskAfter(tokens, maxLevels)) + " after " + tokens + " tokens");
            }
            AttentionState s = new AttentionState(spec);
            s.meta[0] = tokens;
            s.meta[1] = mask;
            for (int i = 0; i < n; i++) {
                double v = s.f32 != null ? (s.f32[i] = b.getFloat()) : (s.f64[i] = b.getDouble());
                if (!Double.isFinite(v)) {
                    throw new UnrollException("corrupt attention state: value " + i + " is " + v + " (a state is finite)");
                }
            }
            if (b.hasRemaining()) {
                throw new UnrollException("corrupt attention state: " + b.remaining() + " trailing bytes");
            }
            return s;
        } catch (java.nio.BufferUnderflowException e) {
            throw new UnrollException("truncated attention state (" + bytes.length + " bytes)", e);
        }
    }

    /**
     * The Log-Linear level mask after {@code tokens} tokens: a binary counter of the tokens whose top
     * level, once reached, stays occupied and absorbs every carry (the layers' Fenwick push).
     */
    static long levelMaskAfter(long tokens, int levels) {
        long top = 1L << (levels - 1);
        return tokens < top ? tokens : top | (tokens & (top - 1));
    }

    private static byte[] descriptorBytes(AttentionSpec spec) {
        byte[] b = JSON_OF.get(spec);
        if (b == null) {
            b = Json.write(spec.toJson()).getBytes(StandardCharsets.UTF_8);
            if (JSON_OF.size() < CACHED) {
                JSON_OF.put(spec, b);
            }
        }
        return b;
    }

    /** Parses a descriptor, or finds it among those read before (a valid one parses to the same spec every time). */
    private static AttentionSpec spec(String json) {
        AttentionSpec spec = SPEC_OF.get(json);
        if (spec == null) {
            spec = AttentionSpec.fromJson(Json.parseObject(json));
            if (SPEC_OF.size() < CACHED) {
                SPEC_OF.put(json, spec);
            }
        }
        return spec;
    }
}
