package dev.unroll.processor.family;

import dev.unroll.annotations.LinearAttention;
import dev.unroll.annotations.RecurrentPass;
import dev.unroll.annotations.TinyRecursiveModel;
import dev.unroll.annotations.Transformer;
import dev.unroll.processor.host.HostPlan;
import dev.unroll.processor.host.LinearAttentionDevice;
import dev.unroll.processor.host.LinearAttentionHost;
import dev.unroll.processor.host.TransformerDevice;
import dev.unroll.processor.host.TransformerHost;
import dev.unroll.processor.host.TrmDevice;
import dev.unroll.processor.host.TrmHost;
import dev.unroll.processor.model.LinearAttentionDescriptor;
import dev.unroll.processor.model.TransformerDescriptor;
import dev.unroll.processor.model.TrmDescriptor;
import dev.unroll.processor.plan.LinearAttentionPlan;
import dev.unroll.processor.plan.LinearAttentionPlanner;
import dev.unroll.processor.plan.TransformerPlan;
import dev.unroll.processor.plan.TransformerPlanner;
import dev.unroll.processor.plan.TrmPlan;
import dev.unroll.processor.plan.TrmPlanner;
import dev.unroll.processor.read.LinearAttentionReader;
import dev.unroll.processor.read.TransformerReader;
import dev.unroll.processor.read.TrmReader;
import java.util.List;

/** The families the processor knows, in processing order: each one line of functions. */
public final class Families {
    private Families() {}

    /** {@code @LinearAttention}: the twelve streaming linear-attention modes. */
    public static final Family<LinearAttentionReader.Raw, LinearAttentionDescriptor, LinearAttentionPlan> LINEAR_ATTENTION = new Family<>(
            LinearAttention.class.getCanonicalName(), List.of(),
            (values, companions) -> LinearAttentionReader.read(values),
            LinearAttentionReader.Raw::check,
            (raw, source) -> new LinearAttentionDescriptor(source, raw.spec().buildUnchecked(), raw.weights()),
            LinearAttentionPlanner::plan,
            plan -> new HostPlan(LinearAttentionHost.plan(plan), LinearAttentionDevice.plan(plan), false));

    /** {@code @TinyRecursiveModel}: the Tiny Recursive Model. */
    public static final Family<TrmReader.Raw, TrmDescriptor, TrmPlan> TRM = new Family<>(
            TinyRecursiveModel.class.getCanonicalName(), List.of(),
            (values, companions) -> TrmReader.read(values),
            (raw, explicit) -> raw.spec().check(explicit),
            (raw, source) -> new TrmDescriptor(source, raw.spec().buildUnchecked(), raw.weights()),
            TrmPlanner::plan,
            plan -> HostPlan.of(TrmHost.plan(plan), TrmDevice.plan(plan), false));

    /** {@code @Transformer} with an optional {@code @RecurrentPass}: Llama-family decoders. */
    public static final Family<TransformerReader.Raw, TransformerDescriptor, TransformerPlan> TRANSFORMER = new Family<>(
            Transformer.class.getCanonicalName(), List.of(RecurrentPass.class.getCanonicalName()),
            (values, companions) -> TransformerReader.read(values, companions.get(RecurrentPass.class.getCanonicalName())),
            (raw, explicit) -> raw.read().isEmpty() ? raw.spec().check(explicit) : raw.read(),
            (raw, source) -> new TransformerDescriptor(source, raw.spec().buildUnchecked(), raw.weights()),
            TransformerPlanner::plan,
            plan -> HostPlan.of(TransformerHost.plan(plan), TransformerDevice.plan(plan), true));

    /** @return every family */
    public static List<Family<?, ?, ?>> all() {
        return List.of(LINEAR_ATTENTION, TRM, TRANSFORMER);
    }
}
