/** Not API: part of {@link dev.unroll.runtime.internal}, used by the engines, the command line and the tests. */
package dev.unroll.runtime.internal.data;
