/**
 * The host plan: what the generated layer or model class and its TornadoVM glue do around the
 * kernels, as data. Fields by role, constructors, factories and entry points whose bodies are
 * ordered {@link dev.unroll.processor.host.HostStep}s (kernel calls, parallel splits, loops over
 * layers and cycles, hook points), and for the device the task graphs over the same weights. Each
 * family's planner ({@code LinearAttentionHost}, {@code TrmHost}, {@code TransformerHost}) builds it;
 * one renderer writes it for the JVM ({@code emit.HostRenderer}) and one for TornadoVM
 * ({@code emit.GlueRenderer}), so no emitter is family-specific.
 *
 * <p>Unlike the kernel IR, which one plan lowers to several languages (scalar, SIMD, float, double),
 * host code is only ever Java: its expressions are JavaPoet {@code CodeBlock}s, which carry their
 * types' imports.
 */
package dev.unroll.processor.host;
