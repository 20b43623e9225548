// Test fixture: TornadoVM 5.2 API signature (see tornado-api-stub/README.md).
package uk.ac.manchester.tornado.api.exceptions;

public class TornadoExecutionPlanException extends Exception {
    private static final long serialVersionUID = 1L;

    public TornadoExecutionPlanException(String message) {
        super(message);
    }

    public TornadoExecutionPlanException(String message, Throwable cause) {
        super(message, cause);
    }
}
