package dev.unroll.tornadovm.devices;

import uk.ac.manchester.tornado.api.TaskGraph;
import uk.ac.manchester.tornado.api.TornadoExecutionPlan;
import uk.ac.manchester.tornado.api.annotations.Parallel;
import uk.ac.manchester.tornado.api.enums.DataTransferMode;

/**
 * A glue-shaped class whose one kernel is outside the subset TornadoVM compiles (it builds strings), for
 * the check that such a kernel fails loudly through the runtime's glue loader instead of running as Java.
 */
public final class BrokenTornado implements AutoCloseable {
    private static String sink;
    private final TornadoExecutionPlan plan;

    /**
     * @param backendIndex unused (the loader passes the device)
     * @param deviceIndex unused
     */
    public BrokenTornado(int backendIndex, int deviceIndex) {
        float[] a = new float[16];
        TaskGraph g = new TaskGraph("broken").transferToDevice(DataTransferMode.FIRST_EXECUTION, a)
                .task("strings", BrokenTornado::stringsOnTheDevice, a, 16)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, a);
        this.plan = new TornadoExecutionPlan(g.snapshot()).withPreCompilation();
        plan.execute();
    }

    /**
     * @param a data
     * @param n elements
     */
    public static void stringsOnTheDevice(float[] a, int n) {
        for (@Parallel int i = 0; i < n; i++) {
            sink = "x" + a[i];
        }
    }

    @Override
    public void close() throws Exception {
        plan.close();
    }
}
