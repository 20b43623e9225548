/**
 * Finds generated kernels on the class path by descriptor
 * ({@link dev.unroll.runtime.registry.KernelRegistry}); each generated class registers a provider
 * through {@link java.util.ServiceLoader}. Thread-safe.
 */
package dev.unroll.runtime.registry;
