/**
 * Not API: everything Unroll knows about each attention mode in one class per mode (its rules,
 * tensors, state, reference names and the generic engine's recurrence), registered in
 * {@link dev.unroll.runtime.attention.definition.Modes}. The specs, the generic engine and the
 * processor read it; users name a mode's parameters by the keys in
 * {@link dev.unroll.runtime.attention.mode}. The module exports it only to Unroll's own command line.
 */
package dev.unroll.runtime.attention.definition;
