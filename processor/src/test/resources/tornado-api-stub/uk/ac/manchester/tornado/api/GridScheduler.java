// Test fixture: TornadoVM 5.2 API signatures (see tornado-api-stub/README.md).
package uk.ac.manchester.tornado.api;

import java.util.LinkedHashMap;
import java.util.Map;

public class GridScheduler {
    final Map<String, WorkerGrid> grids = new LinkedHashMap<>();

    public GridScheduler() {}

    public void addWorkerGrid(String taskName, WorkerGrid grid) {
        grids.put(taskName, grid);
    }
}
