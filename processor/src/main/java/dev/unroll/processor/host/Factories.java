package dev.unroll.processor.host;

import static dev.unroll.processor.host.Steps.code;
import static dev.unroll.processor.host.Steps.ret;
import static dev.unroll.processor.host.Steps.run;

import com.palantir.javapoet.ClassName;
import dev.unroll.annotations.WeightFormat;
import dev.unroll.runtime.Flavour;
import dev.unroll.runtime.safetensors.SafetensorsFile;
import dev.unroll.runtime.weights.TensorSource;
import java.util.List;
import javax.lang.model.element.Modifier;

/** The constructor and static factories every generated model has, the same for every family. */
final class Factories {
    private static final ClassName FLAVOUR = ClassName.get(Flavour.class);
    private static final ClassName PATH = ClassName.get("java.nio.file", "Path");

    private Factories() {}

    /**
     * @param self the model class
     * @param weights the family's weights type
     * @param format how its kernels store the matrices
     * @return the private constructor over the codegen base class: weights, flavour, the class's name and format
     */
    static HostMethod constructor(ClassName self, ClassName weights, WeightFormat format) {
        return HostMethod.constructor(Modifier.PRIVATE).param(weights, "w").param(FLAVOUR, "flavour")
                .steps(run("super(SPEC, w, $T.check(flavour, SIMD_GENERATED), $S, $T.$L)", FLAVOUR, self.simpleName(), WeightFormat.class, format.name()))
                .build();
    }

    /**
     * @param self the generated class
     * @param weights the family's weights type
     * @param what what the factories return, for the docs ("model", "layer")
     * @return {@code of(weights)} in the flavour {@code Flavour.choose} picks, and {@code of(weights, flavour)}
     */
    static List<HostMethod> of(ClassName self, ClassName weights, String what) {
        return List.of(
                HostMethod.method("of", self, Modifier.PUBLIC, Modifier.STATIC).param(weights, "weights")
                        .doc("@param weights weights of this descriptor\n@return the $L, in the flavour {@link $T#choose} picks\n", what, FLAVOUR)
                        .steps(ret("new $T(weights, $T.choose(SIMD_GENERATED))", self, FLAVOUR)).build(),
                HostMethod.method("of", self, Modifier.PUBLIC, Modifier.STATIC).param(weights, "weights").param(FLAVOUR, "flavour")
                        .doc("@param weights weights of this descriptor\n@param flavour the flavour to run\n@return the $L\n", what)
                        .steps(ret("new $T(weights, flavour)", self)).build());
    }

    /**
     * @param self the generated class
     * @param weights the family's weights type
     * @param what what it returns and how it names the weights, for the docs
     * @return {@code seeded()}: the descriptor's seeded weights, in the flavour {@code Flavour.choose} picks
     */
    static HostMethod seeded(ClassName self, ClassName weights, String what) {
        return HostMethod.method("seeded", self, Modifier.PUBLIC, Modifier.STATIC)
                .doc("@return the $L, in the flavour {@link $T#choose} picks\n", what, FLAVOUR)
                .steps(ret("new $T($T.seeded(SPEC), $T.choose(SIMD_GENERATED))", self, weights, FLAVOUR)).build();
    }

    /**
     * @param self the generated class
     * @param weights the family's weights type
     * @param spec the spec expression the weights are loaded for ({@code SPEC})
     * @param doc the method's javadoc: what it loads
     * @return {@code load(path)}: weights by name from a safetensors file holding exactly them
     */
    static HostMethod load(ClassName self, ClassName weights, String spec, String doc) {
        return HostMethod.method("load", self, Modifier.PUBLIC, Modifier.STATIC).param(PATH, "path")
                .doc("$L\n\n@param path the file\n@return the $L\n", doc, self.simpleName().endsWith("Layer") ? "layer" : "model")
                .steps(new HostStep.Using(ClassName.get(SafetensorsFile.class), "file", code("$T.open(path)", SafetensorsFile.class),
                        List.of(ret("of($T.load($L, $T.of(file)))", weights, spec, TensorSource.class))))
                .build();
    }
}
