package dev.unroll.flink.example;

import java.util.Arrays;

/** One sensor reading: the sensor, its time (ms) and its values. A Flink POJO. */
public class Reading {
    /** The sensor's name: the stream's key. */
    public String sensor;
    /** Event time, milliseconds. */
    public long time;
    /** The measured values, one token of the layer's width. */
    public float[] values;

    /** For Flink's POJO serializer. */
    public Reading() {}

    /**
     * @param sensor the sensor
     * @param time event time, ms
     * @param values the values
     */
    public Reading(String sensor, long time, float[] values) {
        this.sensor = sensor;
        this.time = time;
        this.values = values;
    }

    /**
     * The synthetic reading number {@code i} of {@code sensors} sensors, deterministic: sensor
     * {@code i % sensors}, time {@code i}, a smooth signal per sensor.
     *
     * @param i the reading's index
     * @param sensors how many sensors
     * @param width values per reading
     * @return the reading
     */
    public static Reading synthetic(long i, int sensors, int width) {
        int s = (int) (i % sensors);
        long t = i / sensors;
        float[] v = new float[width];
        for (int j = 0; j < width; j++) {
            v[j] = (float) (Math.sin(0.05 * t * (1 + s % 7) + 0.3 * j) + 0.1 * Math.cos(0.7 * j * (s + 1)));
        }
        return new Reading("sensor-" + s, i, v);
    }

    @Override
    public String toString() {
        return "Reading[" + sensor + " @" + time + " " + Arrays.toString(values) + "]";
    }
}
