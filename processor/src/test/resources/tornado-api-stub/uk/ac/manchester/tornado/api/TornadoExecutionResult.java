// Test fixture: TornadoVM 5.2 API signature (see tornado-api-stub/README.md).
package uk.ac.manchester.tornado.api;

public class TornadoExecutionResult {
    TornadoExecutionResult() {}

    public TornadoExecutionResult transferToHost(Object... objects) {
        return this;
    }
}
