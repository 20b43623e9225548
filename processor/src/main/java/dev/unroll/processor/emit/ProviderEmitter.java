package dev.unroll.processor.emit;

import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import dev.unroll.annotations.WeightFormat;
import dev.unroll.runtime.Flavour;
import javax.lang.model.element.Modifier;

/**
 * Emits the nested {@code Provider} every generated layer or model registers through ServiceLoader:
 * the same members for every family, typed by the family's provider interface, spec, weights and
 * result types. The enclosing class must declare {@code SPEC}, {@code SIMD_GENERATED} and the
 * factories {@code of(weights)} and {@code of(weights, flavour)}.
 */
final class ProviderEmitter {
    private static final ClassName FLAVOUR = ClassName.get(Flavour.class);

    private ProviderEmitter() {}

    /**
     * @param self the generated class that registers
     * @param annotatedType qualified name of the annotated type
     * @param providerInterface the family's provider interface
     * @param spec the family's spec type
     * @param weights the family's weights type
     * @param result what {@code create} returns
     * @return the {@code Provider} type
     */
    static TypeSpec provider(ClassName self, String annotatedType, ClassName providerInterface, ClassName spec, ClassName weights, ClassName result) {
        return provider(self, annotatedType, providerInterface, spec, weights, result, WeightFormat.F32);
    }

    /**
     * @param self the generated class that registers
     * @param annotatedType qualified name of the annotated type
     * @param providerInterface the family's provider interface
     * @param spec the family's spec type
     * @param weights the family's weights type
     * @param result what {@code create} returns
     * @param format how the kernels store the matrices (declared when not F32, the default)
     * @return the {@code Provider} type
     */
    static TypeSpec provider(ClassName self, String annotatedType, ClassName providerInterface, ClassName spec, ClassName weights, ClassName result,
            WeightFormat format) {
        return build(self, annotatedType, providerInterface, spec, weights, result, format);
    }

    /** @return the generated class's name without its Layer or Model suffix */
    private static String baseName(ClassName self) {
        String n = self.reflectionName();
        return n.substring(0, n.length() - (n.endsWith("Layer") ? "Layer".length() : "Model".length()));
    }

    private static TypeSpec build(ClassName self, String annotatedType, ClassName providerInterface, ClassName spec, ClassName weights,
            ClassName result, WeightFormat format) {
        TypeSpec.Builder t = TypeSpec.classBuilder("Provider").addModifiers(Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                .addSuperinterface(providerInterface)
                .addJavadoc("Registers {@link $T} with the runtime's kernel registry (ServiceLoader).\n", self)
                .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PUBLIC).addJavadoc("For ServiceLoader.\n").build())
                .addMethod(MethodSpec.methodBuilder("spec").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC).returns(spec)
                        .addStatement("return SPEC").build())
                .addMethod(MethodSpec.methodBuilder("generatedClass").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                        .returns(String.class).addStatement("return $S", self.canonicalName()).build())
                .addMethod(MethodSpec.methodBuilder("baseName").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                        .returns(String.class).addStatement("return $S", baseName(self)).build())
                .addMethod(MethodSpec.methodBuilder("annotatedType").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                        .returns(String.class).addStatement("return $S", annotatedType).build())
                .addMethod(MethodSpec.methodBuilder("simdGenerated").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                        .returns(TypeName.BOOLEAN).addStatement("return SIMD_GENERATED").build())
                .addMethod(MethodSpec.methodBuilder("create").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                        .returns(result).addParameter(weights, "weights").addStatement("return of(weights)").build())
                .addMethod(MethodSpec.methodBuilder("create").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                        .returns(result).addParameter(weights, "weights").addParameter(FLAVOUR, "flavour")
                        .addStatement("return of(weights, flavour)").build());
        if (format != WeightFormat.F32) {
            t.addMethod(MethodSpec.methodBuilder("weights").addAnnotation(Override.class).addModifiers(Modifier.PUBLIC)
                    .returns(WeightFormat.class).addStatement("return $T.$L", WeightFormat.class, format.name()).build());
        }
        return t.build();
    }
}
