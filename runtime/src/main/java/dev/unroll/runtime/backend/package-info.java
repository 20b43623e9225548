/**
 * Where generated kernels run: {@link dev.unroll.runtime.backend.Backend} (the JVM or TornadoVM,
 * chosen at run time and reported) and {@link dev.unroll.runtime.backend.SequenceRunner}. A runner
 * belongs to one thread at a time and holds device memory until closed.
 */
package dev.unroll.runtime.backend;
