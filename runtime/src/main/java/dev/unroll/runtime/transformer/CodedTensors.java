package dev.unroll.runtime.transformer;

import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.weights.BlockCodes;
import dev.unroll.runtime.weights.TensorSource;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A decoder's tensors in memory where some matrices stay as the block codes their file stored (a GGUF
 * file's Q8_0 and Q4_0 tensors): a model of the same format lays the codes out as they are, any other
 * reader gets them widened, a fresh array each time.
 */
final class CodedTensors implements TransformerWeights.Reader {
    private final String description;
    private final Map<String, float[]> floats;
    private final Map<String, BlockCodes> coded;

    private CodedTensors(String description, Map<String, float[]> floats, Map<String, BlockCodes> coded) {
        this.description = description;
        this.floats = floats;
        this.coded = coded;
    }

    /**
     * @param source the tensors, already checked to be exactly {@code shapes}
     * @param shapes every name and shape, in load order
     * @param coded the matrices the source stores in blocks
     * @return the tensors: the coded ones kept, the others read as F32 ({@link SourceReader#read}: each element checked finite)
     */
    static CodedTensors load(TensorSource source, Map<String, long[]> shapes, Map<String, BlockCodes> coded) {
        SourceReader reader = new SourceReader(source, shapes);
        Map<String, float[]> floats = new LinkedHashMap<>();
        for (String n : shapes.keySet()) {
            if (!coded.containsKey(n)) {
                floats.put(n, reader.read(n));
            }
        }
        return new CodedTensors(source.description(), floats, new LinkedHashMap<>(coded));
    }

    @Override
    public BlockCodes blockCodes(String name) {
        return coded.get(name);
    }

    @Override
    public dev.unroll.annotations.WeightFormat blockFormat(String name) {
        BlockCodes c = coded.get(name);
        return c == null ? null : c.format();
    }

    @Override
    public float[] read(String name) {
        BlockCodes c = coded.get(name);
        if (c != null) {
            return c.values();
        }
        float[] a = floats.get(name);
        if (a == null) {
            throw new UnrollException(description + ": no tensor '" + name + "'");
        }
        return a;
    }

    @Override
    public String description() {
        return description;
    }
}
