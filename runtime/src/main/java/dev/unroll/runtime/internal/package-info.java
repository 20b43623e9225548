/**
 * Not API: the runtime's support layer, below the API. Argument checks, the maths and recurrences of
 * the generic engines, parallel loops, JSON, seeded random numbers and the reference-data resolver.
 * It imports nothing from the API except the root exceptions and {@code Limits}; the module exports
 * it only to Unroll's own command line, so a user's module cannot import it, and it changes without
 * notice.
 */
package dev.unroll.runtime.internal;
