// Test fixture: TornadoVM 5.2 API signatures (see tornado-api-stub/README.md); JVM bodies as the real class.
package uk.ac.manchester.tornado.api.math;

public final class TornadoMath {
    private TornadoMath() {}

    public static float exp(float x) { return (float) Math.exp(x); }
    public static double exp(double x) { return Math.exp(x); }
    public static float log(float x) { return (float) Math.log(x); }
    public static double log(double x) { return Math.log(x); }
    public static float sqrt(float x) { return (float) Math.sqrt(x); }
    public static double sqrt(double x) { return Math.sqrt(x); }
    public static float tanh(float x) { return (float) Math.tanh(x); }
    public static double tanh(double x) { return Math.tanh(x); }
    public static float max(float a, float b) { return Math.max(a, b); }
    public static double max(double a, double b) { return Math.max(a, b); }
    public static float min(float a, float b) { return Math.min(a, b); }
    public static double min(double a, double b) { return Math.min(a, b); }
    public static float abs(float x) { return Math.abs(x); }
    public static double abs(double x) { return Math.abs(x); }
}
