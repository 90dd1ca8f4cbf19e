#!/usr/bin/env bash
# Measures what capture costs: the same MyBatis workload with and without the DeltaSync plugin,
# on H2 and PostgreSQL, alternating runs in one JVM; prints medians and their ratio.
set -euo pipefail
cd "$(dirname "$0")"
mvn -B -DskipTests -Dspotless.check.skip=true install -pl mybatis-sync-plugin -am
mvn -B -pl mybatis-sync-plugin exec:java \
  -Dexec.mainClass=io.deltasync.bench.CaptureOverheadBenchmark -Dexec.classpathScope=test \
  -Dexec.args="${1:-7}"
