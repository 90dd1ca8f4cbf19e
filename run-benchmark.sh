#!/usr/bin/env bash
# Measures what capture costs (the same MyBatis workload with and without the DeltaSync plugin) and
# what conflict detection costs a hub (the same batches applied with detection off and on), on H2
# and PostgreSQL, alternating runs in one JVM; prints medians and their ratio. Then what verify and
# repair cost on 1,000,000 rows (PostgreSQL hub, H2 node).
# Argument: rounds, for both overhead benchmarks (default 7).
set -euo pipefail
cd "$(dirname "$0")"
rounds="${1:-7}"
mvn -B -DskipTests -Dspotless.check.skip=true install -pl mybatis-sync-plugin -am
for benchmark in CaptureOverheadBenchmark ConflictDetectionBenchmark; do
  mvn -B -pl mybatis-sync-plugin exec:java \
    -Dexec.mainClass="io.deltasync.bench.$benchmark" -Dexec.classpathScope=test \
    -Dexec.args="$rounds"
done
mvn -B -pl mybatis-sync-plugin exec:java \
  -Dexec.mainClass="io.deltasync.bench.VerifyBenchmark" -Dexec.classpathScope=test \
  -Dexec.args="1000000 1000"
