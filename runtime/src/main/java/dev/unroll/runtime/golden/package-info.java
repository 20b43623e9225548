/**
 * Not API: readers of the attention reference's golden files (their JSON and weight digests), above
 * the API. The module exports it only to Unroll's own command line ({@code unroll verify} and
 * {@code unroll golden}); the tests use it from the class path.
 */
package dev.unroll.runtime.golden;
