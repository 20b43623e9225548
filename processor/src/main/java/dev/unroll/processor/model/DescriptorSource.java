package dev.unroll.processor.model;

/**
 * Where a descriptor was declared, in plain strings (no {@code javax.lang.model}).
 *
 * @param qualifiedName the annotated type's canonical name
 * @param packageName its package
 * @param baseName base of the generated class names: the simple name, with enclosing types joined by '_'
 * @param annotation the family annotation's simple name
 */
public record DescriptorSource(String qualifiedName, String packageName, String baseName, String annotation) {}
