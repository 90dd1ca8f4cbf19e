/** Benchmarks: harnesses that print ratios measured in one run, not tests. */
package io.deltasync.bench;
