package dev.unroll.runtime.backend;

import dev.unroll.runtime.UnrollException;

/**
 * A TornadoVM device as {@code backend:device}, the notation of {@code tornado --devices}, or
 * TornadoVM's default device.
 *
 * @param backend the backend index, or -1 for the default device
 * @param device the device index within that backend, or -1 for the default device
 */
public record DeviceIndex(int backend, int device) {
    /** Selects the device as {@code backend:device}; unset, TornadoVM's default device runs. */
    public static final String PROPERTY = "unroll.tornado.device";

    /** TornadoVM's default device. */
    public static final DeviceIndex DEFAULT = new DeviceIndex(-1, -1);

    /**
     * @param backend the backend index, or -1 with device -1 for the default device
     * @param device the device index, or -1 with backend -1 for the default device
     */
    public DeviceIndex {
        if (!(backend == -1 && device == -1) && (backend < 0 || device < 0)) {
            throw new UnrollException("device " + backend + ":" + device + ": both indices must be >= 0 (or both -1 for the default device)");
        }
    }

    /** @return whether this is TornadoVM's default device */
    public boolean isDefault() {
        return backend < 0;
    }

    /** @return the device {@code -D}{@value #PROPERTY} selects, or {@link #DEFAULT} */
    public static DeviceIndex fromProperty() {
        return parse(System.getProperty(PROPERTY));
    }

    /**
     * @param spec {@code backend:device}, e.g. {@code 0:1}; null or blank for the default device
     * @return the device
     * @throws UnrollException for anything else, naming the property and the expected form
     */
    public static DeviceIndex parse(String spec) {
        if (spec == null || spec.isBlank()) {
            return DEFAULT;
        }
        String[] parts = spec.trim().split(":");
        try {
            if (parts.length == 2) {
                int b = Integer.parseInt(parts[0].trim());
                int d = Integer.parseInt(parts[1].trim());
                if (b >= 0 && d >= 0) {
                    return new DeviceIndex(b, d);
                }
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UnrollException("-D" + PROPERTY + "=" + spec + ": expected backend:device with both indices >= 0, e.g. 0:1 (see tornado --devices)");
    }

    @Override
    public String toString() {
        return isDefault() ? "default" : backend + ":" + device;
    }
}
