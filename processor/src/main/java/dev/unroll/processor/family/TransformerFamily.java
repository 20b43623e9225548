package dev.unroll.processor.family;

import dev.unroll.annotations.Transformer;
import dev.unroll.processor.emit.Emitted;
import dev.unroll.processor.emit.Environment;
import dev.unroll.processor.emit.TransformerEmitter;
import dev.unroll.processor.model.DescriptorSource;
import dev.unroll.processor.model.TransformerDescriptor;
import dev.unroll.processor.plan.TransformerPlan;
import dev.unroll.processor.plan.TransformerPlanner;
import dev.unroll.processor.read.AnnotationValues;
import dev.unroll.processor.read.TransformerReader;
import dev.unroll.runtime.spec.Violation;
import java.util.List;
import javax.lang.model.element.TypeElement;
import javax.lang.model.util.Elements;

/** {@code @Transformer} with an optional {@code @RecurrentPass}: Llama-family decoders. */
public final class TransformerFamily implements Family<TransformerReader.Raw, TransformerDescriptor, TransformerPlan> {
    @Override
    public String annotation() {
        return Transformer.class.getCanonicalName();
    }

    @Override
    public List<String> companions() {
        return List.of(TransformerReader.RECURRENT_PASS);
    }

    @Override
    public TransformerReader.Raw read(AnnotationValues values, TypeElement type, Elements elements) {
        return TransformerReader.read(values, type, elements);
    }

    @Override
    public List<Violation> validate(TransformerReader.Raw raw, AnnotationValues values) {
        return raw.spec().check(values.explicit());
    }

    @Override
    public TransformerDescriptor describe(TransformerReader.Raw raw, DescriptorSource source) {
        return new TransformerDescriptor(source, raw.spec().buildUnchecked(), raw.weights());
    }

    @Override
    public TransformerPlan plan(TransformerDescriptor descriptor) {
        return TransformerPlanner.plan(descriptor);
    }

    @Override
    public Emitted emit(TransformerPlan plan, Environment env) {
        return TransformerEmitter.emit(plan, env);
    }
}
