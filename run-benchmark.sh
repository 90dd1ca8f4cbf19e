#!/usr/bin/env bash
# Measures what capture costs (the same MyBatis workload with and without the DeltaSync plugin) and
# what conflict detection costs a hub (the same batches applied with detection off and on), on H2
# and PostgreSQL, alternating runs in one JVM; prints medians and their ratio.
# Argument: rounds, for both benchmarks (default 7).
set -euo pipefail
cd "$(dirname "$0")"
rounds="${1:-7}"
mvn -B -DskipTests -Dspotless.check.skip=true install -pl mybatis-sync-plugin -am
for benchmark in CaptureOverheadBenchmark ConflictDetectionBenchmark; do
  mvn -B -pl mybatis-sync-plugin exec:java \
    -Dexec.mainClass="io.deltasync.bench.$benchmark" -Dexec.classpathScope=test \
    -Dexec.args="$rounds"
done
