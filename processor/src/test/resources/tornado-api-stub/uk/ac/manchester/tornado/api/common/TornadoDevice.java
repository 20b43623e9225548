// Test fixture: TornadoVM 5.2 API type (see tornado-api-stub/README.md); the real interface has many more methods.
package uk.ac.manchester.tornado.api.common;

public interface TornadoDevice {
    String getDeviceName();
}
