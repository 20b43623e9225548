package dev.unroll.runtime.transformer;

import dev.unroll.runtime.UnrollException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Captures and interventions at {@link HookPoint}s, addressed by layer, recurrent pass and token
 * position. Models call {@link #fire} at each site only when a {@code Hooks} object is given, so
 * running without hooks costs nothing. Interventions at a loop layer apply in every pass unless a
 * pass is given; captures keep one vector per (point, layer, pass, position).
 *
 * <p>Thread-safety: not thread-safe; hooks record into themselves, so give each generation its own.
 */
public final class Hooks {
    /** Any layer, pass or position. */
    public static final int ANY = -1;
    /** The newest position of a call (its last token). */
    public static final int NEWEST = -2;

    /** Where a capture or an intervention applies. */
    private record Site(HookPoint point, int layer, int pass, int position) {
        boolean matches(HookPoint p, int l, int ps, int pos, int newest) {
            return point == p && (layer == ANY || layer == l) && (pass == ANY || pass == ps)
                    && (position == ANY || position == pos || (position == NEWEST && pos == newest));
        }
    }

    private record Intervention(Site site, float[] vector, boolean replace) {}

    /**
     * A captured vector.
     *
     * @param point site
     * @param layer layer (-1 for embed/final)
     * @param pass pass (1-based)
     * @param position token position
     * @param value the vector
     */
    public record Capture(HookPoint point, int layer, int pass, int position, float[] value) {
        /**
         * Copies the vector: a capture is immutable.
         *
         * @param point site
         * @param layer layer (-1 for embed/final)
         * @param pass pass (1-based)
         * @param position token position
         * @param value the vector
         */
        public Capture {
            dev.unroll.runtime.internal.Checks.notNull("Hooks.Capture: point", point);
            value = dev.unroll.runtime.internal.Checks.notNull("Hooks.Capture: value", value).clone();
        }

        /** @return a copy of the vector */
        @Override
        public float[] value() {
            return value.clone();
        }
    }

    private final List<Site> captureSites = new ArrayList<>();
    private final List<Intervention> interventions = new ArrayList<>();
    private final Map<String, Capture> captured = new LinkedHashMap<>();
    private int newest = -1;

    /**
     * Checks every site and vector against a model before a run: a hook on a layer the model does
     * not have would never fire, a vector of another width could not apply.
     *
     * @param spec the model
     * @throws UnrollException naming the first site that cannot apply
     */
    public void check(TransformerSpec spec) {
        List<Site> sites = new ArrayList<>(captureSites);
        interventions.forEach(iv -> sites.add(iv.site()));
        for (Site s : sites) {
            if (s.layer() != ANY && (s.layer() < 0 || s.layer() >= spec.layers())) {
                throw new UnrollException("hook at " + s.point() + " of layer " + s.layer() + ": the model has layers 0.." + (spec.layers() - 1));
            }
            if (s.position() < NEWEST || s.position() >= spec.maxSeq()) {
                throw new UnrollException("hook at " + s.point() + " of position " + s.position() + ": positions are 0.." + (spec.maxSeq() - 1)
                        + ", ANY or NEWEST");
            }
        }
        for (Intervention iv : interventions) {
            if (iv.vector().length != spec.width()) {
                throw new UnrollException("intervention at " + iv.site().point() + " has " + iv.vector().length + " values, the model width is "
                        + spec.width());
            }
        }
    }

    /**
     * Captures the vector at a site (for every matching layer, pass and position).
     *
     * @param point the site
     * @param layer a layer, or {@link #ANY}
     * @param position a position, {@link #ANY} or {@link #NEWEST}
     * @return this
     */
    public Hooks capture(HookPoint point, int layer, int position) {
        dev.unroll.runtime.internal.Checks.notNull("Hooks.capture: point", point);
        captureSites.add(new Site(point, layer, ANY, position));
        return this;
    }

    /**
     * Adds {@code vector} to the stream at a site.
     *
     * @param point the site
     * @param layer a layer, or {@link #ANY}
     * @param position a position, {@link #ANY} or {@link #NEWEST}
     * @param vector the addend (model width)
     * @return this
     */
    public Hooks add(HookPoint point, int layer, int position, float[] vector) {
        dev.unroll.runtime.internal.Checks.notNull("Hooks.add: point", point);
        Finite.check("intervention at " + point + " of layer " + layer, vector);
        interventions.add(new Intervention(new Site(point, layer, ANY, position), vector.clone(), false));
        return this;
    }

    /**
     * Replaces the stream at a site with {@code vector}.
     *
     * @param point the site
     * @param layer a layer, or {@link #ANY}
     * @param position a position, {@link #ANY} or {@link #NEWEST}
     * @param vector the replacement (model width)
     * @return this
     */
    public Hooks replace(HookPoint point, int layer, int position, float[] vector) {
        dev.unroll.runtime.internal.Checks.notNull("Hooks.replace: point", point);
        Finite.check("intervention at " + point + " of layer " + layer, vector);
        interventions.add(new Intervention(new Site(point, layer, ANY, position), vector.clone(), true));
        return this;
    }

    /** @param position the position the current call ends at (for {@link #NEWEST}) */
    public void newest(int position) {
        newest = position;
    }

    /**
     * Called by models at each site: applies matching interventions in registration order, then
     * records matching captures.
     *
     * @param point the site
     * @param layer the layer (-1 for embed and final norm)
     * @param pass the recurrent pass (1 outside a recurrent block)
     * @param position the token position
     * @param x the vector, modified in place by interventions
     */
    public void fire(HookPoint point, int layer, int pass, int position, float[] x) {
        dev.unroll.runtime.internal.Checks.notNull("Hooks.fire: point", point);
        dev.unroll.runtime.internal.Checks.notNull("Hooks.fire: the stream", x);
        for (Intervention iv : interventions) {
            if (iv.site().matches(point, layer, pass, position, newest)) {
                if (iv.vector().length != x.length) {
                    throw new UnrollException("intervention at " + point + " has " + iv.vector().length + " values, the stream has " + x.length);
                }
                for (int i = 0; i < x.length; i++) {
                    x[i] = iv.replace() ? iv.vector()[i] : x[i] + iv.vector()[i];
                }
            }
        }
        for (Site s : captureSites) {
            if (s.matches(point, layer, pass, position, newest)) {
                captured.put(key(point, layer, pass, position), new Capture(point, layer, pass, position, x));
            }
        }
    }

    private static String key(HookPoint p, int layer, int pass, int pos) {
        return p + "/" + layer + "/" + pass + "/" + pos;
    }

    /**
     * @param point site
     * @param layer layer (-1 for embed and final norm)
     * @param pass pass (1 outside recurrence)
     * @param position position
     * @return the captured vector, or null
     */
    public float[] captured(HookPoint point, int layer, int pass, int position) {
        Capture c = captured.get(key(point, layer, pass, position));
        return c == null ? null : c.value();
    }

    /** @return every capture, in the order recorded */
    public List<Capture> captures() {
        return List.copyOf(captured.values());
    }
}
