// Test fixture: TornadoVM 5.2 API signatures (see tornado-api-stub/README.md). As on a plain JVM with the real class,
// every id is 0 and barriers do nothing: a KernelContext kernel does not compute its result here.
package uk.ac.manchester.tornado.api;

public class KernelContext {
    public final Integer globalIdx = 0;
    public final Integer groupIdx = 0;
    public final Integer localIdx = 0;
    public final Integer localGroupSizeX = 1;

    public void localBarrier() {}

    public float[] allocateFloatLocalArray(int size) {
        return new float[size];
    }
}
