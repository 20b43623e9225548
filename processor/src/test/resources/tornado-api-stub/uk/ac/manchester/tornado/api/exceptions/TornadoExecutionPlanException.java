// Test fixture: TornadoVM 5.2 API signature (see tornado-api-stub/README.md).
package uk.ac.manchester.tornado.api.exceptions;

public class TornadoExecutionPlanException extends Exception {
    private static final long serialVersionUID = 1L;
    private String reason;

    public TornadoExecutionPlanException() {}

    public TornadoExecutionPlanException(String reason) {
        this.reason = reason;
    }

    public String getReason() {
        return reason;
    }
}
