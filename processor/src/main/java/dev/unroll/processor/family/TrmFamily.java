package dev.unroll.processor.family;

import dev.unroll.annotations.TinyRecursiveModel;
import dev.unroll.processor.emit.Emitted;
import dev.unroll.processor.emit.Environment;
import dev.unroll.processor.emit.TrmEmitter;
import dev.unroll.processor.model.DescriptorSource;
import dev.unroll.processor.model.TrmDescriptor;
import dev.unroll.processor.plan.TrmPlan;
import dev.unroll.processor.plan.TrmPlanner;
import dev.unroll.processor.read.AnnotationValues;
import dev.unroll.processor.read.TrmReader;
import dev.unroll.runtime.spec.Violation;
import java.util.List;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;

/** {@code @TinyRecursiveModel}: the Tiny Recursive Model. */
public final class TrmFamily implements Family<TrmReader.Raw, TrmDescriptor, TrmPlan> {
    @Override
    public String annotation() {
        return TinyRecursiveModel.class.getCanonicalName();
    }

    @Override
    public TrmReader.Raw read(AnnotationValues values, TypeElement type, Elements elements) {
        return TrmReader.read(values);
    }

    @Override
    public List<Violation> validate(TrmReader.Raw raw, AnnotationValues values) {
        return raw.spec().check(values.explicit());
    }

    @Override
    public TrmDescriptor describe(TrmReader.Raw raw, DescriptorSource source) {
        return new TrmDescriptor(source, raw.spec().buildUnchecked(), raw.weights());
    }

    @Override
    public TrmPlan plan(TrmDescriptor descriptor) {
        return TrmPlanner.plan(descriptor);
    }

    @Override
    public Emitted emit(TrmPlan plan, Environment env) {
        return TrmEmitter.emit(plan, env);
    }
}
