// Test fixture: TornadoVM 5.2 API signature (see tornado-api-stub/README.md).
package uk.ac.manchester.tornado.api.enums;

public class DataTransferMode {
    public static final int FIRST_EXECUTION = 0;
    public static final int EVERY_EXECUTION = 1;
    public static final int UNDER_DEMAND = 2;
}
