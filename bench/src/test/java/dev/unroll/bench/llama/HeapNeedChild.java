package dev.unroll.bench.llama;

import dev.unroll.annotations.WeightFormat;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.codegen.GeneratedTransformer;
import dev.unroll.runtime.registry.KernelRegistry;
import dev.unroll.runtime.transformer.KvCache;
import dev.unroll.runtime.transformer.Llama2c;
import dev.unroll.runtime.transformer.Tokenizer;

/**
 * {@link HeapNeedTest}'s child process: reads a checkpoint tensor by tensor, makes its generated
 * model in the given format and decodes a few greedy tokens; prints {@code decoded N tokens}. An
 * {@link UnrollException} is reported as a command line reports it: its message on one line, exit 3.
 */
public final class HeapNeedChild {
    private HeapNeedChild() {}

    /**
     * @param args checkpoint, format, tokens
     */
    public static void main(String[] args) {
        try {
            Llama2c.Checkpoint c = Llama2c.open(java.nio.file.Path.of(args[0]));
            WeightFormat format = WeightFormat.valueOf(args[1]);
            GeneratedTransformer m = (GeneratedTransformer) KernelRegistry.transformer(c.spec(), format).orElseThrow().create(c.weights());
            KvCache[] caches = GreedyRun.caches(m);
            float[] x = new float[m.spec().width()];
            float[] logits = new float[m.spec().vocab()];
            int token = Tokenizer.BOS;
            int n = Integer.parseInt(args[2]);
            for (int pos = 0; pos < n; pos++) {
                m.forwardToken(token, pos, caches, x, logits, null);
                token = GreedyRun.argmax(logits);
            }
            System.out.println("decoded " + n + " tokens");
        } catch (UnrollException e) {
            System.err.println("unroll: " + UnrollException.safe(e.getMessage()));
            System.exit(3);
        }
    }
}
