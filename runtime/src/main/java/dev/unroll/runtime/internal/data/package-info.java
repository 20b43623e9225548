/** Not API: part of the runtime's support layer ({@code dev.unroll.runtime.internal}), used by the engines, the command line and the tests. */
package dev.unroll.runtime.internal.data;
