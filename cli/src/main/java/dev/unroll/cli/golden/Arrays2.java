package dev.unroll.cli.golden;

import dev.unroll.runtime.Limits;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.safetensors.SafetensorsFile;
import dev.unroll.runtime.safetensors.TensorInfo;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the arrays users save next to a model: NumPy's {@code .npy} (format 1 to 3, C order,
 * little-endian {@code f4}, {@code f8}, {@code i4}, {@code i8}), safetensors (one tensor, or the one of
 * the given name), raw little-endian f32 (what a patched run.c writes), and token lists as text (ids
 * separated by commas or white space). Sizes are checked against the file and the memory budget
 * before anything is allocated.
 */
final class Arrays2 {
    /** The NumPy magic string. */
    private static final byte[] NPY = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([<|>=]?)([a-zA-Z])(\\d+)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    /**
     * An array read from a file.
     *
     * @param shape its dimensions (raw f32 and text: one)
     * @param floats its values when floating, else null
     * @param ints its values when integer, else null
     */
    record Array(long[] shape, float[] floats, int[] ints) {}

    private Arrays2() {}

    private static boolean isNpy(byte[] head) {
        return head.length >= NPY.length && java.util.Arrays.equals(java.util.Arrays.copyOf(head, NPY.length), NPY);
    }

    /**
     * @param file an .npy, a safetensors file or raw little-endian f32
     * @param name the tensor to take from a safetensors file of several
     * @return its values
     */
    static Array floats(Path file, String name) {
        byte[] head = head(file);
        if (isNpy(head)) {
            return npy(file, true);
        }
        if (file.toString().endsWith(".safetensors")) {
            return safetensors(file, name, true);
        }
        long size = size(file);
        if (size % 4 != 0) {
            throw new UnrollException(file + ": " + size + " bytes: raw little-endian f32 comes in 4-byte values (or give an .npy or .safetensors file)");
        }
        int n = Limits.arrayLength(file + ": its f32 values", size / 4);
        Limits.checkBudget(file + ": " + n + " f32 values", 4L * n);
        float[] out = new float[n];
        ByteBuffer.wrap(read(file)).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return new Array(new long[] {n}, out, null);
    }

    /**
     * @param file an .npy of integers, a safetensors file, or text: ids separated by commas or white space
     * @param name the tensor to take from a safetensors file of several
     * @return the ids
     */
    static int[] ints(Path file, String name) {
        byte[] head = head(file);
        if (isNpy(head)) {
            return npy(file, false).ints();
        }
        if (file.toString().endsWith(".safetensors")) {
            return safetensors(file, name, false).ints();
        }
        long size = size(file);
        if (size > 64L << 20) {
            throw new UnrollException(file + ": a token file of " + size + " bytes; a text token file may have at most 64 MiB");
        }
        String text = new String(read(file), StandardCharsets.UTF_8).strip();
        List<Integer> ids = new ArrayList<>();
        int at = 0;
        for (String s : text.isEmpty() ? new String[0] : text.split("[,\\s]+")) {
            try {
                ids.add(Integer.parseInt(s));
            } catch (NumberFormatException e) {
                throw new UnrollException(file + ": token " + at + " is \"" + (s.length() > 20 ? s.substring(0, 20) + "..." : s)
                        + "\": a token file holds integer ids separated by commas or white space");
            }
            at++;
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    private static Array safetensors(Path file, String name, boolean floating) {
        try (SafetensorsFile f = SafetensorsFile.open(file)) {
            TensorInfo t;
            if (f.contains(name)) {
                t = f.info(name);
            } else if (f.tensors().size() == 1) {
                t = f.tensors().values().iterator().next();
            } else {
                throw new UnrollException(file + ": " + f.tensors().size() + " tensors and none named '" + name + "': give a file of one tensor, or name it "
                        + name);
            }
            if (t.dtype().isFloating() != floating) {
                throw new UnrollException(file + ": tensor '" + t.name() + "' is " + t.dtype() + "; " + name + " are " + (floating ? "floating-point"
                        : "integers"));
            }
            return floating ? new Array(t.shape(), f.floats(t.name()), null) : new Array(t.shape(), null, f.ints(t.name()));
        }
    }

    /** NumPy's format: magic, version, header length, a Python dict literal, the data in C order. */
    private static Array npy(Path file, boolean floating) {
        byte[] all;
        long size = size(file);
        byte[] head = head(file);
        if (head.length < 10) {
            throw new UnrollException(file + ": a truncated .npy header");
        }
        int major = head[6] & 0xff;
        int headerLen;
        int start;
        ByteBuffer b = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
        if (major == 1) {
            headerLen = b.getShort(8) & 0xffff;
            start = 10;
        } else if (major == 2 || major == 3) {
            if (head.length < 12) {
                throw new UnrollException(file + ": a truncated .npy header");
            }
            headerLen = b.getInt(8);
            start = 12;
        } else {
            throw new UnrollException(file + ": .npy format version " + major + " (this reads 1 to 3)");
        }
        if (headerLen < 0 || headerLen > 1 << 20 || start + (long) headerLen > size) {
            throw new UnrollException(file + ": an .npy header of " + headerLen + " bytes in a file of " + size);
        }
        byte[] h;
        try (var in = Files.newInputStream(file)) {
            in.skipNBytes(start);
            h = in.readNBytes(headerLen);
        } catch (IOException e) {
            throw new UnrollException(file + ": cannot read: " + e.getMessage(), e);
        }
        String dict = new String(h, StandardCharsets.ISO_8859_1);
        Matcher d = DESCR.matcher(dict);
        Matcher f = FORTRAN.matcher(dict);
        Matcher s = SHAPE.matcher(dict);
        if (!d.find() || !f.find() || !s.find()) {
            throw new UnrollException(file + ": an .npy header without descr, fortran_order and shape");
        }
        if (f.group(1).equals("True")) {
            throw new UnrollException(file + ": a Fortran-order array: save it C-contiguous (np.ascontiguousarray)");
        }
        String order = d.group(1);
        char kind = d.group(2).charAt(0);
        int width = Integer.parseInt(d.group(3));
        if (order.equals(">") && width > 1) {
            throw new UnrollException(file + ": a big-endian array: save it little-endian (arr.astype('<" + kind + width + "'))");
        }
        boolean isFloat = kind == 'f' && (width == 4 || width == 8);
        boolean isInt = kind == 'i' && (width == 4 || width == 8);
        if (!(floating ? isFloat : isInt)) {
            throw new UnrollException(file + ": dtype " + kind + width + "; " + (floating ? "logits are f4 or f8" : "token ids are i4 or i8"));
        }
        List<Long> dims = new ArrayList<>();
        for (String part : s.group(1).split(",")) {
            if (!part.isBlank()) {
                try {
                    dims.add(Long.parseLong(part.strip()));
                } catch (NumberFormatException e) {
                    throw new UnrollException(file + ": an .npy shape of (" + s.group(1) + ")");
                }
            }
        }
        long[] shape = dims.stream().mapToLong(Long::longValue).toArray();
        for (long x : shape) {
            if (x < 0) {
                throw new UnrollException(file + ": an .npy shape of (" + s.group(1) + ")");
            }
        }
        int n = Limits.arrayLength(file + ": an array of shape " + java.util.Arrays.toString(shape), shape);
        long data = Limits.product(file + ": the data", n, width);
        if (size - start - headerLen != data) {
            throw new UnrollException(file + ": shape " + java.util.Arrays.toString(shape) + " of " + kind + width + " is " + data + " bytes; the file holds "
                    + (size - start - headerLen) + " after its header");
        }
        Limits.checkBudget(file + ": an array of " + n + " values", data + 4L * n);
        all = read(file);
        ByteBuffer v = ByteBuffer.wrap(all, start + headerLen, (int) data).slice().order(ByteOrder.LITTLE_ENDIAN);
        if (floating) {
            float[] out = new float[n];
            for (int i = 0; i < n; i++) {
                out[i] = width == 4 ? v.getFloat() : (float) v.getDouble();
            }
            return new Array(shape, out, null);
        }
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            long x = width == 4 ? v.getInt() : v.getLong();
            if (x != (int) x) {
                throw new UnrollException(file + ": value " + i + " (" + x + ") does not fit a token id");
            }
            out[i] = (int) x;
        }
        return new Array(shape, null, out);
    }

    private static long size(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UnrollException(file + ": not a regular file");
        }
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UnrollException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static byte[] head(Path file) {
        size(file);
        try (var in = Files.newInputStream(file)) {
            return in.readNBytes(12);
        } catch (IOException e) {
            throw new UnrollException(file + ": cannot read: " + e.getMessage(), e);
        }
    }

    private static byte[] read(Path file) {
        long size = size(file);
        Limits.checkBudget(file + ": its " + size + " bytes", size);
        if (size > Limits.MAX_ARRAY) {
            throw new UnrollException(file + ": " + size + " bytes, more than one read holds");
        }
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new UnrollException(file + ": cannot read: " + e.getMessage(), e);
        }
    }
}
