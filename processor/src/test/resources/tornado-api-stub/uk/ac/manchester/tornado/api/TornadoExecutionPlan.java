// Test fixture: TornadoVM 5.2 API signatures (see tornado-api-stub/README.md); the real class is sealed and
// needs the runtime in its static initialiser. This one runs every task in order on the calling thread.
package uk.ac.manchester.tornado.api;

import java.util.ArrayList;
import java.util.List;
import uk.ac.manchester.tornado.api.common.TornadoDevice;
import uk.ac.manchester.tornado.api.exceptions.TornadoExecutionPlanException;

public class TornadoExecutionPlan implements AutoCloseable {
    /** Executions and closes across all plans, for tests. */
    public static final List<String> EVENTS = new ArrayList<>();

    private final ImmutableTaskGraph[] graphs;

    public TornadoExecutionPlan(ImmutableTaskGraph... immutableTaskGraphs) {
        this.graphs = immutableTaskGraphs;
    }

    public static TornadoDevice getDevice(int driverIndex, int deviceIndex) {
        return () -> "stub " + driverIndex + ":" + deviceIndex;
    }

    public TornadoExecutionPlan withDevice(TornadoDevice device) {
        EVENTS.add("device " + device.getDeviceName());
        return this;
    }

    public TornadoExecutionPlan withGridScheduler(GridScheduler gridScheduler) {
        EVENTS.add("grids " + gridScheduler.grids.keySet());
        return this;
    }

    public TornadoExecutionPlan withPreCompilation() {
        EVENTS.add("precompile");
        return this;
    }

    public TornadoExecutionResult execute() {
        for (ImmutableTaskGraph g : graphs) {
            EVENTS.add("execute " + g.graph.name + " " + g.graph.log);
            for (Runnable task : g.graph.tasks) {
                task.run();
            }
        }
        return new TornadoExecutionResult();
    }

    @Override
    public void close() throws TornadoExecutionPlanException {
        EVENTS.add("close");
    }
}
