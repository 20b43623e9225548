package dev.unroll.runtime.safetensors;

import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.internal.HalfFloats;
import dev.unroll.runtime.internal.json.Json;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds a safetensors file. Tensors are written in the order added, packed without gaps; the
 * header is padded with spaces to a multiple of 8 bytes. Identical input gives identical bytes.
 */
public final class SafetensorsWriter {
    private record Entry(String name, DType dtype, long[] shape, byte[] data) {}

    private final Map<String, String> metadata = new LinkedHashMap<>();
    private final List<Entry> entries = new ArrayList<>();
    private final java.util.Set<String> names = new java.util.HashSet<>();

    /**
     * @param key metadata key
     * @param value metadata value
     * @return this
     */
    public SafetensorsWriter metadata(String key, String value) {
        metadata.put(dev.unroll.runtime.internal.Checks.notNull("SafetensorsWriter.metadata: key", key), dev.unroll.runtime.internal.Checks.notNull("SafetensorsWriter.metadata: value", value));
        return this;
    }

    /**
     * Adds a float tensor, stored as {@code dtype} (F32, F64, BF16 or F16).
     *
     * @param name tensor name
     * @param dtype stored element type
     * @param shape dimensions
     * @param data elements, row-major
     * @return this
     */
    public SafetensorsWriter add(String name, DType dtype, long[] shape, float[] data) {
        checkCount(name, dtype, shape, dev.unroll.runtime.internal.Checks.notNull("SafetensorsWriter.add: data", data).length);
        ByteBuffer b = buffer(data.length, dtype);
        for (float f : data) {
            switch (dtype) {
                case F32 -> b.putFloat(f);
                case F64 -> b.putDouble(f);
                case BF16 -> b.putShort(HalfFloats.floatToBf16(f));
                case F16 -> b.putShort(HalfFloats.floatToF16(f));
                default -> throw new UnrollException("tensor '" + name + "': cannot store floats as " + dtype);
            }
        }
        return put(name, dtype, shape, b);
    }

    /**
     * Adds a double tensor, stored as F64 (or narrowed to F32/BF16/F16).
     *
     * @param name tensor name
     * @param dtype stored element type
     * @param shape dimensions
     * @param data elements, row-major
     * @return this
     */
    public SafetensorsWriter add(String name, DType dtype, long[] shape, double[] data) {
        checkCount(name, dtype, shape, dev.unroll.runtime.internal.Checks.notNull("SafetensorsWriter.add: data", data).length);
        if (dtype != DType.F64) {
            float[] f = new float[data.length];
            for (int i = 0; i < f.length; i++) {
                f[i] = (float) data[i];
            }
            return add(name, dtype, shape, f);
        }
        checkCount(name, dtype, shape, data.length);
        ByteBuffer b = buffer(data.length, dtype);
        for (double d : data) {
            b.putDouble(d);
        }
        return put(name, dtype, shape, b);
    }

    /**
     * Adds an integer tensor stored as I32 or I64.
     *
     * @param name tensor name
     * @param dtype I32 or I64
     * @param shape dimensions
     * @param data elements, row-major
     * @return this
     */
    public SafetensorsWriter add(String name, DType dtype, long[] shape, int[] data) {
        checkCount(name, dtype, shape, dev.unroll.runtime.internal.Checks.notNull("SafetensorsWriter.add: data", data).length);
        ByteBuffer b = buffer(data.length, dtype);
        for (int v : data) {
            switch (dtype) {
                case I32 -> b.putInt(v);
                case I64 -> b.putLong(v);
                default -> throw new UnrollException("tensor '" + name + "': cannot store ints as " + dtype);
            }
        }
        return put(name, dtype, shape, b);
    }

    private static ByteBuffer buffer(int n, DType dtype) {
        return ByteBuffer.allocate(Math.multiplyExact(n, dtype.bytes())).order(ByteOrder.LITTLE_ENDIAN);
    }

    private SafetensorsWriter put(String name, DType dtype, long[] shape, ByteBuffer b) {
        if (name.equals("__metadata__")) {
            throw new UnrollException("'__metadata__' is reserved and cannot name a tensor");
        }
        if (!names.add(name)) {
            throw new UnrollException("tensor '" + name + "' added twice");
        }
        entries.add(new Entry(name, dtype, shape.clone(), b.array()));
        return this;
    }

    private static void checkCount(String name, DType dtype, long[] shape, int length) {
        dev.unroll.runtime.internal.Checks.notNull("SafetensorsWriter.add: name", name);
        dev.unroll.runtime.internal.Checks.notNull("SafetensorsWriter.add: dtype", dtype);
        dev.unroll.runtime.internal.Checks.notNull("SafetensorsWriter.add: shape", shape);
        long n = 1;
        for (long d : shape) {
            if (d < 0) {
                throw new UnrollException("tensor '" + name + "': negative dimension in " + Arrays.toString(shape));
            }
            n = dev.unroll.runtime.Limits.product("tensor '" + name + "'", n, d);
        }
        if (n != length) {
            throw new UnrollException("tensor '" + name + "': shape " + Arrays.toString(shape) + " holds " + n
                    + " elements but " + length + " were given");
        }
    }

    /** @return the header JSON, unpadded */
    String headerJson() {
        Map<String, Object> root = new LinkedHashMap<>();
        if (!metadata.isEmpty()) {
            root.put("__metadata__", new LinkedHashMap<>(metadata));
        }
        long offset = 0;
        for (Entry e : entries) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("dtype", e.dtype.name());
            List<Object> shape = new ArrayList<>();
            for (long d : e.shape) {
                shape.add(d);
            }
            t.put("shape", shape);
            t.put("data_offsets", List.of(offset, offset + e.data.length));
            offset += e.data.length;
            root.put(e.name, t);
        }
        return Json.write(root);
    }

    /**
     * Writes the file.
     *
     * @param out the stream (not closed)
     * @throws IOException on write failure
     */
    public void writeTo(OutputStream out) throws IOException {
        dev.unroll.runtime.internal.Checks.notNull("SafetensorsWriter.writeTo: the stream", out);
        byte[] header = headerJson().getBytes(StandardCharsets.UTF_8);
        int padded = (header.length + 7) / 8 * 8;
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
        out.write(len.array());
        out.write(header);
        for (int i = header.length; i < padded; i++) {
            out.write(' ');
        }
        for (Entry e : entries) {
            out.write(e.data);
        }
    }

    /**
     * Writes the file to a path, replacing it.
     *
     * @param path destination
     */
    public void write(Path path) {
        if (path == null) {
            throw new UnrollException("SafetensorsWriter.write: the path is null");
        }
        if (Files.isDirectory(path)) {
            throw new UnrollException(path + ": cannot write: it is a directory; give the file to write");
        }
        if (Files.exists(path) && !Files.isRegularFile(path)) {
            // a named pipe would block until someone reads it, a device swallow the file
            throw new UnrollException(path + ": cannot write: not a regular file");
        }
        Path dir = path.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            throw new UnrollException(path + ": cannot write: the folder " + dir + " does not exist");
        }
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(path))) {
            writeTo(out);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new UnrollException(path + ": cannot write: permission denied", e);
        } catch (IOException e) {
            throw new UnrollException(path + ": cannot write: " + e.getMessage(), e);
        }
    }
}
