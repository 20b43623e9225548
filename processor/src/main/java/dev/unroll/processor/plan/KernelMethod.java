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
 */
public record KernelMethod(String name, String doc, List<Param> params, List<Stmt> body, boolean task) {
    /**
     * A method that is not a device task.
     *
     * @param name n
     * @param doc d
     * @param params p
     * @param body b
     */
    public KernelMethod(String name, String doc, List<Param> params, List<Stmt> body) {
        this(name, doc, params, body, false);
    }

    /** @return this method marked as a device task */
    public KernelMethod asTask() {
        return new KernelMethod(name, doc, params, body, true);
    }
}
