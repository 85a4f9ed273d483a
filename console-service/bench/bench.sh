#!/usr/bin/env bash
# Read-model benchmark of the packaged console-service (not a test): embedded Kafka and PostgreSQL,
# the console as a child process, RUNS pipeline runs (~6 events each, ~10 % failed, 30 days, 300
# connections, 20 transforms) COPYed into its read model, LIVE more runs published through Kafka
# (projection rate, and a check that the COPYed shape is what the projection writes), then page
# latencies (min/median/p95/max, ratio to /q/health/live) over ROUNDS interleaved rounds.
# Usage: console-service/bench/bench.sh [runs=100000] [rounds=10] [live-runs=500] [deep-pages=1000]
# Needs `./mvnw -B -q install -DskipTests -pl events,service-support,deploy/local,deploy/local-testing,console-service` first.
# BENCH_HOLD_SECONDS=600 keeps everything up after measuring (prints a psql URL, for EXPLAIN).
set -euo pipefail
cd "$(dirname "$0")/.."
test -f target/quarkus-app/quarkus-run.jar || {
  echo "build first: ./mvnw -B -q install -DskipTests -pl events,service-support,deploy/local,deploy/local-testing,console-service" >&2; exit 1; }
# A private copy: a rebuild of the module while the bench runs must not pull the jars from under it.
rm -rf target/bench-app && cp -r target/quarkus-app target/bench-app
../mvnw -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath > /dev/null
java -Xmx2g -Dtributary.infra.embedded=true -Dbench.hold.seconds="${BENCH_HOLD_SECONDS:-0}" \
  -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  io.tributary.console.bench.ReadModelBench "${1:-100000}" "${2:-10}" "${3:-500}" "${4:-1000}" \
  target/bench-app/quarkus-run.jar 2>target/bench-infra.log | grep --line-buffered -v '^SLF4J'
echo "logs: console-service/target/bench-console.log, bench-infra.log"
