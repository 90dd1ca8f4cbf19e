#!/usr/bin/env bash
# Measures what capture costs (the same MyBatis workloads plain, with the DeltaSync plugin and with
# SymmetricDS 3.15.22's triggers, on H2, PostgreSQL and MariaDB, alternating in one JVM; prints
# medians, spreads and ratios to plain) and how far its delta insert is from a bare row written in
# the same transaction (plain JDBC), and what conflict detection costs a hub (the same batches
# applied with detection off and on). Then what verify and repair cost on 1,000,000 rows
# (PostgreSQL hub, H2 node), and how fast the console renders its pages on a hub with 1,000,000
# deltas (see the end). And what the whole pipeline sustains (camel-sync-routes): throughput per
# transport beside plain JDBC inserts, latency at fixed loads, a client draining a backlog in its own
# -Xmx256m process, 1, 10 and 50 clients pushing at once to one hub, and a new node's initial load
# beside a plain JDBC copy.
#
#   ./run-benchmark.sh quick            capture and pipeline, quick modes: every table of "What
#                                       capture costs" and "What the pipeline sustains" in one
#                                       run (~7 minutes on a quiet 2-core machine)
#   ./run-benchmark.sh                  everything, 7 rounds each
#   ./run-benchmark.sh 15               everything, 15 rounds each
#   ./run-benchmark.sh capture          the capture benchmark alone, quick (3 rounds, ~3 minutes)
#   ./run-benchmark.sh capture full     the capture benchmark alone, 15 rounds
#   ./run-benchmark.sh pipeline         the pipeline benchmark alone, quick (~4 minutes on a quiet
#                                       machine; a 50,000-delta backlog, 50,000 rows to load)
#   ./run-benchmark.sh pipeline full    the pipeline benchmark alone, full (more rounds, longer runs,
#                                       a 1,000,000-delta backlog and 1,000,000 rows to load; the
#                                       everything run uses this)
#   ./run-benchmark.sh pipeline quick fanin
#                                       some tables of the pipeline benchmark only, any of
#                                       throughput,latency,backlog,fanin,load (comma-separated)
#
# SymmetricDS comes in through the mybatis-sync-plugin `benchmark` Maven profile (its code is in
# src/bench/java): the product and its tests never depend on it. The pipeline benchmark is compiled
# by camel-sync-routes' `benchmark` profile, from its src/bench/java, in the same way. Nothing is
# installed into ~/.m2.
set -euo pipefail
cd "$(dirname "$0")"
only=""
case "${1:-}" in
  quick)
    only=quick
    capture_mode=quick
    pipeline_mode=quick
    rounds=3
    modules=mybatis-sync-plugin,camel-sync-routes
    ;;
  capture)
    only=capture
    capture_mode="${2:-quick}"
    rounds=7
    modules=mybatis-sync-plugin
    ;;
  pipeline)
    only=pipeline
    pipeline_mode="${2:-quick}"
    pipeline_tables="${3:-}"
    rounds=7
    modules=camel-sync-routes
    ;;
  *)
    rounds="${1:-7}"
    capture_mode="$rounds"
    pipeline_mode=full
    modules=mybatis-sync-plugin,camel-sync-routes
    ;;
esac
mvn -B -Pbenchmark -DskipTests -Dspotless.check.skip=true -pl "$modules" -am \
  test-compile dependency:build-classpath -Dmdep.outputFile=target/bench.classpath \
  -Dmdep.includeScope=test
# each benchmark runs in its module's directory, as its tests do (embedded databases under target/)
bench_in() {
  local module="$1"
  shift
  # several modules' logback-test.xml are on the classpath: without the listener logback prints
  # its configuration status (dozens of lines) before every benchmark
  (cd "$module" &&
    java -Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener \
      -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" "$@")
}
bench() {
  bench_in mybatis-sync-plugin "$@"
}
# The whole pipeline: nodes in this JVM (and, for the backlog, in processes of their own) over real
# HTTP, an embedded Artemis broker and a drop folder; prints four tables (see camel-sync-routes'
# README, "What the pipeline sustains").
pipeline() {
  bench_in camel-sync-routes io.deltasync.bench.PipelineBenchmark "$pipeline_mode" \
    ${pipeline_tables:+"$pipeline_tables"}
}
if [[ "$only" == pipeline ]]; then
  pipeline
  exit 0
fi
bench io.deltasync.bench.CaptureOverheadBenchmark "$capture_mode"
# How far DeltaSync's delta insert is from a bare row in the same transaction (plain JDBC, no lock)
bench io.deltasync.bench.DeltaRowFloorBenchmark "$capture_mode"
if [[ "$only" == capture ]]; then
  exit 0
fi
if [[ "$only" == quick ]]; then
  pipeline
  exit 0
fi
bench io.deltasync.bench.ConflictDetectionBenchmark "$rounds"
bench io.deltasync.bench.VerifyBenchmark 1000000 1000
# before the console's build below, which compiles camel-sync-routes again without the profile
pipeline
# The console: Nodes, a table-filtered Deltas page and a conflict's detail, rendered with 1,000,000
# deltas and 1,000 conflicts on PostgreSQL; prints each one's median.
mvn -B -DskipTests -Dspotless.check.skip=true package dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test -pl console-web -am
java -Dlogback.statusListenerClass=ch.qos.logback.core.status.NopStatusListener --add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED \
  --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED \
  --add-opens java.management/sun.management=ALL-UNNAMED \
  --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED \
  -Dhazelcast.logging.type=slf4j -Dhazelcast.phone.home.enabled=false \
  -cp "console-web/target/test-classes:console-web/target/classes:$(cat console-web/target/bench.classpath)" \
  io.deltasync.console.bench.ConsoleBenchmark "$rounds"
