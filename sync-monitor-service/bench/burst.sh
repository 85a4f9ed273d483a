#!/usr/bin/env bash
# Burst benchmark of the packaged sync-monitor-service (not a test): N sync requests for N
# connections at once against the standalone Airbyte sandbox, on embedded Kafka and PostgreSQL,
# with the monitor's default settings. Prints the Airbyte calls per minute by endpoint, jobs started,
# endings published, and any 10 s window without an Airbyte call while work waited.
# Usage: sync-monitor-service/bench/burst.sh [connections=2000] [job-seconds=60] [limit-minutes=15]
# Needs `./mvnw -B install -DskipTests -pl deploy/airbyte-sandbox,sync-monitor-service -am` first.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-2000}
JOB_SECONDS=${2:-60}
LIMIT=${3:-15}
SANDBOX_JAR=$(ls ../deploy/airbyte-sandbox/target/tributary-airbyte-sandbox-*-runner.jar 2>/dev/null | head -1)
test -f target/quarkus-app/quarkus-run.jar -a -n "$SANDBOX_JAR" || {
  echo "build first: ./mvnw -B install -DskipTests -pl deploy/airbyte-sandbox,sync-monitor-service -am" >&2; exit 1; }
../mvnw -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath > /dev/null
java -Dtributary.infra.embedded=true -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  io.tributary.monitor.bench.BurstBench "$N" "$SANDBOX_JAR" target/quarkus-app/quarkus-run.jar "$JOB_SECONDS" "$LIMIT" \
  2>target/burst-infra.log | grep -v '^SLF4J'
echo "logs: sync-monitor-service/target/burst-sync-monitor.log, burst-sandbox.log, burst-infra.log"
