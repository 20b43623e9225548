package dev.unroll.processor.emit;

import com.palantir.javapoet.JavaFile;
import java.util.List;

/**
 * The output of emitting one descriptor.
 *
 * @param files source files
 * @param providers binary names of KernelProvider implementations to register
 */
public record Emitted(List<JavaFile> files, List<String> providers) {}
