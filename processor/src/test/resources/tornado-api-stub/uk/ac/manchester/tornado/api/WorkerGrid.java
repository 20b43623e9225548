// Test fixture: TornadoVM 5.2 API signatures (see tornado-api-stub/README.md).
package uk.ac.manchester.tornado.api;

public interface WorkerGrid {
    int dimension();

    void setLocalWork(long x, long y, long z);
}
