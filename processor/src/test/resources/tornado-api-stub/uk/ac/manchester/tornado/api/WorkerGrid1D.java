// Test fixture: TornadoVM 5.2 API signatures (see tornado-api-stub/README.md).
package uk.ac.manchester.tornado.api;

public class WorkerGrid1D implements WorkerGrid {
    final long global;
    long local;

    public WorkerGrid1D(int x) {
        this.global = x;
    }

    @Override
    public int dimension() {
        return 1;
    }

    @Override
    public void setLocalWork(long x, long y, long z) {
        this.local = x;
    }
}
