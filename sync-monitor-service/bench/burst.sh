#!/usr/bin/env bash
# Burst benchmark of the packaged sync-monitor-service (not a test): N sync requests for N
# connections at once against the standalone Airbyte sandbox, on embedded Kafka and PostgreSQL.
# Prints every 10 s the Airbyte calls, jobs created, requests started and ended, the monitor's heap
# and CPU; then calls per minute by endpoint (and while all jobs are in flight), starts per second
# (overall, best 10 s window, against the sandbox alone taking POST /jobs from 8 threads), the
# detection lag p50/p99 (job end, i.e. its webhook reaching the bench, to the ending on Kafka), the
# monitor's live heap idle and at the peak (class histograms in target/), and any stall.
#
# Usage: sync-monitor-service/bench/burst.sh N [job-seconds=60] [limit-minutes=15]
# Environment:
#   BURST_HINTS=on|off             Airbyte's webhook hints passed on to the monitor (default on)
#   BURST_RATE_LIMIT=<n>|unthrottled  the monitor's Airbyte calls per second (default: its own, 100)
#   BURST_MONITOR_JAVA_OPTS="..."  extra JVM options of the monitor (e.g. -Xmx256m)
#   BURST_JFR=1                    JFR profile of the monitor in target/burst-monitor.jfr
#   BURST_REFERENCE=<n>            POST /jobs of the reference (default min(N, 1000); 0: none)
#   TRIBUTARY_MONITOR_*            any monitor setting (inherited by the child process)
# Needs `./mvnw -B install -DskipTests -pl deploy/airbyte-sandbox,sync-monitor-service -am` first.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-2000}
JOB_SECONDS=${2:-60}
LIMIT=${3:-15}
SANDBOX_JAR=$(ls ../deploy/airbyte-sandbox/target/tributary-airbyte-sandbox-*-runner.jar 2>/dev/null | head -1)
test -f target/quarkus-app/quarkus-run.jar -a -n "$SANDBOX_JAR" || {
  echo "build first: ./mvnw -B install -DskipTests -pl deploy/airbyte-sandbox,sync-monitor-service -am" >&2; exit 1; }
test -f target/bench.classpath -a target/bench.classpath -nt pom.xml ||
  ../mvnw -q -B -o dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath > /dev/null
java -Dtributary.infra.embedded=true -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  io.tributary.monitor.bench.BurstBench "$N" "$SANDBOX_JAR" target/quarkus-app/quarkus-run.jar "$JOB_SECONDS" "$LIMIT" \
  2>target/burst-infra.log | grep -v '^SLF4J'
echo "logs: sync-monitor-service/target/burst-sync-monitor.log, burst-sandbox.log, burst-infra.log"
