#!/usr/bin/env bash
# Measures what capture costs (the same MyBatis workload with and without the DeltaSync plugin) and
# what conflict detection costs a hub (the same batches applied with detection off and on), on H2
# and PostgreSQL, alternating runs in one JVM; prints medians and their ratio. Then what verify and
# repair cost on 1,000,000 rows (PostgreSQL hub, H2 node), and how fast the console renders its
# pages on a hub with 1,000,000 deltas (see the end).
# Argument: rounds, for both overhead benchmarks and the console's renders (default 7).
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
# The console: Nodes, a table-filtered Deltas page and a conflict's detail, rendered with 1,000,000
# deltas and 1,000 conflicts on PostgreSQL; prints each one's median.
mvn -B -DskipTests -Dspotless.check.skip=true package dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test -pl console-web -am
java --add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED \
  --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED \
  --add-opens java.management/sun.management=ALL-UNNAMED \
  --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED \
  -Dhazelcast.logging.type=slf4j -Dhazelcast.phone.home.enabled=false \
  -cp "console-web/target/test-classes:console-web/target/classes:$(cat console-web/target/bench.classpath)" \
  io.deltasync.console.bench.ConsoleBenchmark "$rounds"
