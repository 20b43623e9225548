package dev.unroll.processor.plan;

import java.util.List;

/**
 * One static kernel method.
 *
 * @param name method name
 * @param doc javadoc text
 * @param params parameters (at most 20: TornadoVM's task limit)
 * @param body statements
 * @param task whether the method is a device task: its only parallel loops form one perfectly
 *     nested nest from constant starts, so TornadoVM can map them to an ND-range ({@code @Parallel}
 *     is emitted there and nowhere else). Other methods are host compositions or helpers.
 * @param deviceOnly whether the method exists only for the TornadoVM glue: emitted in the scalar class,
 *     and only when TornadoVM's API is visible (the JVM path calls the host kernels instead)
 */
public record KernelMethod(String name, String doc, List<Param> params, List<Stmt> body, boolean task, boolean deviceOnly) {
    /**
     * A method that is not a device task.
     *
     * @param name n
     * @param doc d
     * @param params p
     * @param body b
     */
    public KernelMethod(String name, String doc, List<Param> params, List<Stmt> body) {
        this(name, doc, params, body, false, false);
    }

    /** @return this method marked as a device task */
    public KernelMethod asTask() {
        return new KernelMethod(name, doc, params, body, true, deviceOnly);
    }

    /** @return this method marked as a device task that only the TornadoVM glue calls */
    public KernelMethod asDeviceTask() {
        return new KernelMethod(name, doc, params, body, true, true);
    }
}
