/**
 * What the whole pipeline sustains, measured end to end: nodes of the test support's application,
 * real transports and real databases, every run checked row for row before its figures count.
 * {@link io.deltasync.bench.PipelineBenchmark} runs the tables; {@code ./run-benchmark.sh pipeline}
 * compiles (profile {@code benchmark}) and starts it. Nothing here is part of the product.
 */
package io.deltasync.bench;
