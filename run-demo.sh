#!/usr/bin/env bash
# Runs DeltaSync's demo: a hub serving the operator's console and two client nodes, each on its own
# embedded H2 database, syncing over HTTP in one JVM while a generator edits to-dos and notes on
# both clients. Open the printed address and log in with the printed password; Ctrl-C stops it.
# Port: ./run-demo.sh --server.port=9090, or DELTASYNC_DEMO_PORT=9090 ./run-demo.sh (default 8080).
set -euo pipefail
cd "$(dirname "$0")"
mvn -B -DskipTests -Dspotless.check.skip=true package dependency:build-classpath \
  -Dmdep.outputFile=target/demo.classpath -Dmdep.includeScope=runtime -pl console-web -am
# Hazelcast on JDK 17 (TOOLCHAIN.md); C1 only, as the demo starts rather than runs for long.
exec java -Xmx768m -XX:TieredStopAtLevel=1 \
  --add-modules java.se --add-exports java.base/jdk.internal.ref=ALL-UNNAMED \
  --add-opens java.base/java.lang=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED \
  --add-opens java.management/sun.management=ALL-UNNAMED \
  --add-opens jdk.management/com.sun.management.internal=ALL-UNNAMED \
  -Dhazelcast.logging.type=slf4j -Dhazelcast.phone.home.enabled=false \
  -cp "console-web/target/classes:$(cat console-web/target/demo.classpath)" \
  io.deltasync.console.demo.ConsoleDemo "$@"
