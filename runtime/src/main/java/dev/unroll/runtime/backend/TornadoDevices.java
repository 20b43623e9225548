package dev.unroll.runtime.backend;

/**
 * Names the TornadoVM device that runs the glue, by reflection through TornadoVM's API interfaces
 * (nothing here links TornadoVM), for the reports of the command line and the demo.
 */
final class TornadoDevices {
    private TornadoDevices() {}

    /** @return e.g. {@code pthread-skylake-avx512 (Portable Computing Language)}, or why it is unknown */
    static String describe() {
        try {
            Class<?> plan = Class.forName("uk.ac.manchester.tornado.api.TornadoExecutionPlan");
            Class<?> api = Class.forName("uk.ac.manchester.tornado.api.common.TornadoDevice");
            DeviceIndex d = DeviceIndex.fromProperty();
            Object device = d.isDefault() ? plan.getField("DEFAULT_DEVICE").get(null)
                    : plan.getMethod("getDevice", int.class, int.class).invoke(null, d.backend(), d.device());
            Class<?> target = Class.forName("uk.ac.manchester.tornado.api.TornadoTargetDevice");
            Object physical = api.getMethod("getPhysicalDevice").invoke(device);
            String name = String.valueOf(target.getMethod("getDeviceName").invoke(physical)).trim();
            String platform = String.valueOf(api.getMethod("getPlatformName").invoke(device)).trim();
            return name + " (" + platform + ")";
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return "device unknown (" + e.getClass().getSimpleName() + ")";
        }
    }
}
