package dev.unroll.cli;

import dev.unroll.runtime.Limits;
import dev.unroll.runtime.UnrollException;
import dev.unroll.runtime.backend.Backend;
import dev.unroll.runtime.backend.DeviceIndex;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code unroll devices}: the TornadoVM backends and devices of this JVM, by the ids
 * {@code -Dunroll.tornado.device} takes. TornadoVM is reached by reflection through its API interfaces
 * (nothing here links TornadoVM): {@code TornadoRuntimeProvider.getTornadoRuntime()}, its backends and
 * their devices, numbered as {@code TornadoExecutionPlan.getDevice(backend, device)} numbers them,
 * which is what the generated glue calls.
 */
@Command(name = "devices", mixinStandardHelpOptions = true, synopsisHeading = "usage: ",
        header = "Lists the TornadoVM backends and devices in this JVM, by the ids that -Dunroll.tornado.device takes.",
        description = {"One line per device: its id (backend:device, as tornado --devices numbers them), backend, type, global "
                + "memory, and name with its platform. The default device, which runs the TornadoVM glue when "
                + "-Dunroll.tornado.device is unset, is marked default; the device that property selects is marked selected. "
                + "Run on another device with UNROLL_JAVA_OPTS=-Dunroll.tornado.device=ID ./unroll ... (or java "
                + "-Dunroll.tornado.device=ID ...).", "",
                "TornadoVM must be loaded in this JVM: set up the TornadoVM SDK, then run the launcher on it:", "",
                "  eval \"$(\"$${UNROLL_SHARED:-../shared}\"/tornadovm/setup.sh)\"",
                "  UNROLL_TORNADOVM=1 ./unroll devices", "",
                "On a plain JVM the command says so in one line and exits 3."},
        footer = {"", "exit codes: 0 listed, 2 usage, 3 TornadoVM is not in this JVM, its API is not as expected, it has no "
                + "device, or -Dunroll.tornado.device names none of those listed"})
final class DevicesCommand implements Callable<Integer> {
    static final String API = "uk.ac.manchester.tornado.api.";

    /** How to run this command under TornadoVM, for the messages. */
    static final String HOW = "after the TornadoVM SDK's setup, eval \"$(\"${UNROLL_SHARED:-../shared}\"/tornadovm/setup.sh)\", "
            + "run UNROLL_TORNADOVM=1 ./unroll devices";

    @Spec
    CommandSpec spec;

    /** A device as listed. */
    record Device(DeviceIndex id, String backend, String type, String memory, String name, boolean isDefault) {}

    @Override
    public Integer call() {
        if (!Backend.tornadoRuntimePresent()) {
            throw new UnrollException("TornadoVM is not in this JVM (" + Backend.TORNADO_RUNTIME_PROPERTY + " is unset): " + HOW);
        }
        List<String> empty = new ArrayList<>();
        List<Device> devices = list(empty);
        if (devices.isEmpty()) {
            throw new UnrollException("TornadoVM has no device" + (empty.isEmpty() ? "" : " (" + String.join(", ", empty) + ")")
                    + ": is an OpenCL platform installed (clinfo lists it)?");
        }
        String property = System.getProperty(DeviceIndex.PROPERTY);
        DeviceIndex selected = null;
        String problem = null;
        try {
            selected = DeviceIndex.fromProperty();
        } catch (UnrollException e) {
            problem = e.getMessage();
        }
        DeviceIndex chosen = selected;
        if (selected != null && !selected.isDefault() && devices.stream().noneMatch(d -> d.id().equals(chosen))) {
            problem = "-D" + DeviceIndex.PROPERTY + "=" + property + ": no such device (listed above)";
        }
        print(spec.commandLine().getOut(), devices, empty, selected);
        if (problem != null) {
            throw new UnrollException(problem);
        }
        return ExitCodes.OK;
    }

    private static void print(PrintWriter out, List<Device> devices, List<String> empty, DeviceIndex selected) {
        out.println("TornadoVM devices; run the TornadoVM glue on one with -D" + DeviceIndex.PROPERTY + "=ID (unset: the default):");
        String[] head = {"ID", "BACKEND", "TYPE", "MEMORY", "DEVICE"};
        int[] width = new int[head.length];
        List<String[]> rows = new ArrayList<>();
        rows.add(head);
        for (Device d : devices) {
            String mark = (d.isDefault() ? "  default" : "") + (d.id().equals(selected) ? "  selected" : "");
            rows.add(new String[] {d.id().toString(), d.backend(), d.type(), d.memory(), d.name() + mark});
        }
        for (String[] r : rows) {
            for (int i = 0; i < r.length; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder("  ");
            for (int i = 0; i < r.length; i++) {
                line.append(i == r.length - 1 ? r[i] : String.format(Locale.ROOT, "%-" + (width[i] + 2) + "s", r[i]));
            }
            out.println(line.toString().stripTrailing());
        }
        for (String e : empty) {
            out.println("  (" + e + ")");
        }
        out.flush();
    }

    /**
     * @param empty receives a note for each backend without devices
     * @return every device of every backend of the TornadoVM runtime in this JVM
     * @throws UnrollException when TornadoVM's API is not as expected or TornadoVM fails to list its devices
     */
    static List<Device> list(List<String> empty) {
        try {
            Class<?> runtimeType = Class.forName(API + "TornadoRuntime");
            Class<?> backendType = Class.forName(API + "TornadoBackend");
            Class<?> deviceType = Class.forName(API + "common.TornadoDevice");
            Object runtime = Class.forName(API + "runtime.TornadoRuntimeProvider").getMethod("getTornadoRuntime").invoke(null);
            if (runtime == null) {
                throw new UnrollException("TornadoVM's API is not as expected: TornadoRuntimeProvider.getTornadoRuntime() returned null");
            }
            Object defaultDevice = optional(runtime, runtimeType, "getDefaultDevice");
            int backends = (Integer) runtimeType.getMethod("getNumBackends").invoke(runtime);
            List<Device> devices = new ArrayList<>();
            for (int b = 0; b < backends; b++) {
                Object backend = runtimeType.getMethod("getBackend", int.class).invoke(runtime, b);
                String backendName = text(optional(backend, backendType, "getName"));
                int count = (Integer) backendType.getMethod("getNumDevices").invoke(backend);
                if (count == 0) {
                    empty.add("backend " + b + ", " + backendName + ": no devices");
                }
                for (int d = 0; d < count; d++) {
                    Object device = backendType.getMethod("getDevice", int.class).invoke(backend, d);
                    Object physical = optional(device, deviceType, "getPhysicalDevice");
                    Object name = physical == null ? optional(device, deviceType, "getDeviceName")
                            : optional(physical, Class.forName(API + "TornadoTargetDevice"), "getDeviceName");
                    Object platform = optional(device, deviceType, "getPlatformName");
                    Object memory = optional(device, deviceType, "getMaxGlobalMemory");
                    boolean isDefault = defaultDevice != null && (defaultDevice == device || defaultDevice.equals(device));
                    devices.add(new Device(new DeviceIndex(b, d), backendName, text(optional(device, deviceType, "getDeviceType")),
                            memory instanceof Long m && m > 0 ? Limits.human(m) : "?", text(name) + (platform == null ? "" : " (" + text(platform) + ")"),
                            isDefault));
                }
            }
            return devices;
        } catch (InvocationTargetException e) {
            Throwable t = e.getCause() == null ? e : e.getCause();
            throw new UnrollException("TornadoVM failed to list its devices: " + t.getClass().getSimpleName() + ": " + t.getMessage());
        } catch (ReflectiveOperationException | LinkageError | ClassCastException | NullPointerException e) {
            throw new UnrollException("TornadoVM's API is not as expected (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + "): this command reads the runtime of TornadoVM 5.2 through " + API + "TornadoRuntime");
        }
    }

    /** @return the value of a getter the listing can do without, or null when the API does not give it */
    private static Object optional(Object target, Class<?> type, String getter) {
        try {
            return type.getMethod(getter).invoke(target);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            return null;
        }
    }

    private static String text(Object value) {
        String s = value == null ? "" : UnrollException.safe(String.valueOf(value)).trim();
        return s.isEmpty() ? "?" : s;
    }
}
