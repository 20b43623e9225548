package dev.unroll.tornadovm;

import dev.unroll.runtime.registry.LinearAttentionProvider;

/**
 * What one token of linear attention costs the device in the TornadoVM glue's task graph, counted from
 * the generated kernel class's layout constants: launches (the graph's three tasks per execution, shared
 * by the execution's tokens), bytes of device memory read and written, and bytes over the host link.
 * A model of the kernels as written, not a measurement: each task reads its operands from device memory
 * once (the weights once per execution, however many tokens or streams it serves), the scan reads and
 * writes every head's state once per token, and the projections pass through device memory between tasks.
 *
 * @param launches tasks per token
 * @param deviceBytes bytes of device memory per token
 * @param linkBytes bytes between host and device per token (input and output)
 */
record AttentionTraffic(double launches, double deviceBytes, double linkBytes) {
    /** Tasks in one execution of either attention graph: project, scan, output (with the counters' advance). */
    static final int TASKS = 3;

    /**
     * @param p the layer's provider (its generated kernel class holds the layout constants)
     * @param tokensPerExecution tokens of one stream (a sequence) or one token of each stream (many streams) per execution
     * @return the traffic of one token
     */
    static AttentionTraffic of(LinearAttentionProvider p, int tokensPerExecution) throws ReflectiveOperationException {
        String kernels = p.generatedClass().replaceFirst("Layer$", "Kernels");
        Class<?> k = Class.forName(kernels, false, AttentionTraffic.class.getClassLoader());
        long d = k.getField("D").getInt(null);
        long rows = k.getField("P").getInt(null);
        long pPad = k.getField("P_PAD").getInt(null);
        long hv = k.getField("HV").getInt(null);
        long state = k.getField("STATE_SIZE").getInt(null);
        double weights = 4.0 * (rows * d + d * hv) / tokensPerExecution;
        double activations = 4.0 * (2 * d + 2 * pPad + 2 * hv);
        return new AttentionTraffic((double) TASKS / tokensPerExecution, weights + activations + 4.0 * 2 * state, 4.0 * 2 * d);
    }

}
