package dev.unroll.cli.inspect;

import dev.unroll.runtime.UnrollException;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Bytecode size of every method of a class, read from its class file. HotSpot never JIT-compiles a
 * method whose bytecode exceeds {@link #HUGE_METHOD_LIMIT} bytes (-XX:-DontCompileHugeMethods is off
 * by default), so generated kernels must stay below it.
 */
public final class MethodSizes {
    /** HotSpot's huge-method limit in bytes of bytecode. */
    public static final int HUGE_METHOD_LIMIT = 8000;

    private MethodSizes() {}

    /**
     * @param type a loaded class (its class file is read through its class loader)
     * @return method name and descriptor to code length, in class-file order
     */
    public static Map<String, Integer> of(Class<?> type) {
        dev.unroll.runtime.internal.Checks.notNull("MethodSizes.of: type", type);
        return of(type.getName(), type.getClassLoader() != null ? type.getClassLoader() : ClassLoader.getSystemClassLoader());
    }

    /**
     * Reads a class file without loading the class (a SIMD kernel class cannot be loaded without
     * {@code jdk.incubator.vector}).
     *
     * @param className binary class name
     * @param loader where its class file is
     * @return method name and descriptor to code length, in class-file order
     */
    public static Map<String, Integer> of(String className, ClassLoader loader) {
        dev.unroll.runtime.internal.Checks.notNull("MethodSizes.of: className", className);
        dev.unroll.runtime.internal.Checks.notNull("MethodSizes.of: loader", loader);
        String resource = className.replace('.', '/') + ".class";
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                throw new UnrollException("class file of " + className + " not found");
            }
            return parse(in.readAllBytes());
        } catch (IOException e) {
            throw new UnrollException("cannot read the class file of " + className + ": " + e.getMessage(), e);
        }
    }

    /**
     * @param classFile the bytes of a class file
     * @return method name and descriptor to code length
     * @throws IOException if the bytes are not a well-formed class file
     */
    public static Map<String, Integer> parse(byte[] classFile) throws IOException {
        dev.unroll.runtime.internal.Checks.notNull("MethodSizes.parse: classFile", classFile);
        try {
            return parseChecked(classFile);
        } catch (java.io.EOFException | java.io.UTFDataFormatException e) {
            throw new UnrollException("not a well-formed class file (" + classFile.length + " bytes): " + e, e);
        }
    }

    private static Map<String, Integer> parseChecked(byte[] classFile) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(classFile));
        if (in.readInt() != 0xCAFEBABE) {
            throw new UnrollException("not a class file");
        }
        in.readUnsignedShort();
        in.readUnsignedShort();
        int count = in.readUnsignedShort();
        String[] utf8 = new String[count];
        for (int i = 1; i < count; i++) {
            int tag = in.readUnsignedByte();
            switch (tag) {
                case 1 -> utf8[i] = in.readUTF();
                case 3, 4 -> in.readInt();
                case 5, 6 -> {
                    in.readLong();
                    i++;
                }
                case 7, 8, 16, 19, 20 -> in.readUnsignedShort();
                case 9, 10, 11, 12, 17, 18 -> in.readInt();
                case 15 -> {
                    in.readUnsignedByte();
                    in.readUnsignedShort();
                }
                default -> throw new UnrollException("unknown constant pool tag " + tag);
            }
        }
        in.readUnsignedShort();
        in.readUnsignedShort();
        in.readUnsignedShort();
        skip(in, 2 * in.readUnsignedShort());
        int fields = in.readUnsignedShort();
        for (int f = 0; f < fields; f++) {
            in.readUnsignedShort();
            in.readUnsignedShort();
            in.readUnsignedShort();
            skipAttributes(in);
        }
        Map<String, Integer> sizes = new LinkedHashMap<>();
        int methods = in.readUnsignedShort();
        for (int m = 0; m < methods; m++) {
            in.readUnsignedShort();
            String name = utf8[in.readUnsignedShort()];
            String desc = utf8[in.readUnsignedShort()];
            int attrs = in.readUnsignedShort();
            int code = 0;
            for (int a = 0; a < attrs; a++) {
                String attr = utf8[in.readUnsignedShort()];
                int len = in.readInt();
                if (attr.equals("Code")) {
                    in.readUnsignedShort();
                    in.readUnsignedShort();
                    code = in.readInt();
                    skip(in, len - 8);
                } else {
                    skip(in, len);
                }
            }
            sizes.put(name + desc, code);
        }
        return sizes;
    }

    private static void skipAttributes(DataInputStream in) throws IOException {
        int attrs = in.readUnsignedShort();
        for (int a = 0; a < attrs; a++) {
            in.readUnsignedShort();
            skip(in, in.readInt());
        }
    }

    private static void skip(DataInputStream in, int n) throws IOException {
        if (in.skipBytes(n) != n) {
            throw new UnrollException("truncated class file");
        }
    }
}
