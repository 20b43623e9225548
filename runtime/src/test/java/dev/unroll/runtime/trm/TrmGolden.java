package dev.unroll.runtime.trm;

import dev.unroll.runtime.TestData;
import dev.unroll.runtime.safetensors.SafetensorsFile;
import dev.unroll.runtime.weights.TensorSource;

/**
 * Reads the seed model's golden files ({@code golden/trm} of the shared reference folder, 45 MB, not in
 * the repository; see {@code DataFiles}).
 */
public final class TrmGolden implements AutoCloseable {
    /** The seed model's configuration; the golden files were made with torch seed 0. */
    public static final TrmSpec SPEC = TrmSpec.builder().buildUnchecked();

    public final SafetensorsFile file;
    public final SafetensorsFile scaled;

    /** The files every TRM golden test needs. */
    public static final String[] FILES = {"golden/trm/trm_seed0.safetensors", "golden/trm/trm_seed0_netscale0.5.safetensors"};

    /** @return whether the golden files are at hand */
    public static boolean present() {
        return dev.unroll.runtime.internal.data.DataFiles.find(FILES[0]).isPresent() && dev.unroll.runtime.internal.data.DataFiles.find(FILES[1]).isPresent();
    }

    /** Skips the calling test, with one printed line, when the golden files are not at hand. */
    public static void require() {
        for (String f : FILES) {
            TestData.optional(f);
        }
    }

    public TrmGolden() {
        file = SafetensorsFile.open(TestData.optional("golden/trm/trm_seed0.safetensors"));
        scaled = SafetensorsFile.open(TestData.optional("golden/trm/trm_seed0_netscale0.5.safetensors"));
    }

    /** @return the model parameters of the seed-0 file */
    public TrmWeights weights() {
        return TrmWeights.load(SPEC, TensorSource.of(file).filter(TrmGolden::isParameter));
    }

    public static boolean isParameter(String name) {
        return !(name.startsWith("input.") || name.startsWith("trace.") || name.startsWith("output.") || name.startsWith("extra.")
                || name.startsWith("f64.") || name.startsWith("expected."));
    }

    /** @return input tokens [4][81] */
    public int[] tokens() {
        return file.ints("input.tokens");
    }

    /** @param k call 1..21 @return the golden input of that network call, built from earlier traces */
    public float[] callInput(int k) {
        float[] x = file.floats("trace.x_embed");
        int cycle = (k - 1) / 7;
        int inCycle = (k - 1) % 7;
        float[] y = cycle == 0 ? broadcast("y_init") : file.floats(String.format("trace.call%02d.out", cycle * 7));
        float[] z = k == 1 ? broadcast("z_init") : file.floats(String.format("trace.call%02d.out", inCycle == 0 ? k - 2 : k - 1));
        float[] in = new float[x.length];
        for (int i = 0; i < in.length; i++) {
            in[i] = inCycle < 6 ? (x[i] + y[i]) + z[i] : y[i] + z[i];
        }
        return in;
    }

    /** @param name y_init or z_init @return broadcast to [4][82][512] */
    public float[] broadcast(String name) {
        float[] v = file.floats(name);
        float[] out = new float[4 * 82 * 512];
        for (int r = 0; r < 4 * 82; r++) {
            System.arraycopy(v, 0, out, r * 512, 512);
        }
        return out;
    }

    @Override
    public void close() {
        file.close();
        scaled.close();
    }
}
