/**
 * Not API. Support for generated code (base classes, fused-weight packing, argument checks, the
 * parallel loops, TornadoVM glue loading) and for the engines. Public only because generated classes
 * live in users' packages; it changes without notice, as {@code dagger.internal} does.
 */
package dev.unroll.runtime.internal;
