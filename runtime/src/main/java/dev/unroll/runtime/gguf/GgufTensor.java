package dev.unroll.runtime.gguf;

/**
 * One tensor's entry in a GGUF file.
 *
 * @param name its name
 * @param dims its dimensions as ggml lists them, the fastest first ({@code [cols, rows]} for a matrix)
 * @param type its element type
 * @param offset its first byte, from the start of the data section
 * @param bytes its size in bytes
 */
public record GgufTensor(String name, long[] dims, GgmlType type, long offset, long bytes) {
    /**
     * @param name its name
     * @param dims its dimensions, fastest first: 1 to 4, each at least 1
     * @param type its element type
     * @param offset its first byte in the data section, at least 0
     * @param bytes its size, at least 0
     */
    public GgufTensor {
        dev.unroll.runtime.internal.Checks.notNull("GgufTensor: name", name);
        dev.unroll.runtime.internal.Checks.notNull("GgufTensor: type", type);
        dims = dev.unroll.runtime.internal.Checks.notNull("GgufTensor: dims", dims).clone();
        if (dims.length < 1 || dims.length > 4 || offset < 0 || bytes < 0) {
            throw new GgufFormatException("tensor '" + dev.unroll.runtime.UnrollException.safe(name) + "': " + dims.length + " dimensions, offset "
                    + offset + ", " + bytes + " bytes (1 to 4 dimensions, offset and size at least 0)");
        }
        long n = 1;
        for (long d : dims) {
            if (d < 1 || n > Long.MAX_VALUE / d) {
                throw new GgufFormatException("tensor '" + dev.unroll.runtime.UnrollException.safe(name) + "': dimensions "
                        + java.util.Arrays.toString(dims) + " (each at least 1, their product a long)");
            }
            n *= d;
        }
    }

    /** @return its dimensions, fastest first (a copy) */
    @Override
    public long[] dims() {
        return dims.clone();
    }

    /** @return its shape row-major, the slowest first ({@code [rows, cols]} for a matrix), as safetensors and PyTorch write it */
    public long[] shape() {
        long[] s = new long[dims.length];
        for (int i = 0; i < dims.length; i++) {
            s[i] = dims[dims.length - 1 - i];
        }
        return s;
    }

    /** @return its element count */
    public long elements() {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return n;
    }
}
