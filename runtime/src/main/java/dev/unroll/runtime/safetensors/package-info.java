/**
 * Reading and writing safetensors files, validated on open: every header field, every offset, every
 * shape against its dtype ({@link dev.unroll.runtime.safetensors.SafetensorsFile}). An open file is
 * read-only and may be shared; close it once.
 */
package dev.unroll.runtime.safetensors;
