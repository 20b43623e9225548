package dev.unroll.processor.family;

import dev.unroll.annotations.LinearAttention;
import dev.unroll.processor.emit.Emitted;
import dev.unroll.processor.emit.Environment;
import dev.unroll.processor.emit.LinearAttentionEmitter;
import dev.unroll.processor.model.DescriptorSource;
import dev.unroll.processor.model.LinearAttentionDescriptor;
import dev.unroll.processor.plan.LinearAttentionPlan;
import dev.unroll.processor.plan.LinearAttentionPlanner;
import dev.unroll.processor.read.AnnotationValues;
import dev.unroll.processor.read.LinearAttentionReader;
import dev.unroll.runtime.spec.Violation;
import java.util.List;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;

/** {@code @LinearAttention}: the twelve streaming linear-attention modes. */
public final class LinearAttentionFamily implements Family<LinearAttentionReader.Raw, LinearAttentionDescriptor, LinearAttentionPlan> {
    @Override
    public String annotation() {
        return LinearAttention.class.getCanonicalName();
    }

    @Override
    public LinearAttentionReader.Raw read(AnnotationValues values, TypeElement type, Elements elements) {
        return LinearAttentionReader.read(values);
    }

    @Override
    public List<Violation> validate(LinearAttentionReader.Raw raw, AnnotationValues values) {
        return raw.check(values.explicit());
    }

    @Override
    public LinearAttentionDescriptor describe(LinearAttentionReader.Raw raw, DescriptorSource source) {
        return new LinearAttentionDescriptor(source, raw.spec().buildUnchecked(), raw.weights());
    }

    @Override
    public LinearAttentionPlan plan(LinearAttentionDescriptor descriptor) {
        return LinearAttentionPlanner.plan(descriptor);
    }

    @Override
    public Emitted emit(LinearAttentionPlan plan, Environment env) {
        return LinearAttentionEmitter.emit(plan, env);
    }
}
