#!/usr/bin/env bash
# Runs DeltaSync's example: two nodes on embedded H2 databases; a change on node A appears on B.
set -euo pipefail
cd "$(dirname "$0")"
mvn -B -DskipTests -Dspotless.check.skip=true install -pl mybatis-sync-plugin -am
mvn -B -pl mybatis-sync-plugin exec:java \
  -Dexec.mainClass=io.deltasync.example.TwoNodeExample -Dexec.classpathScope=test
