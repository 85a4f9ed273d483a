#!/usr/bin/env bash
# Signed-webhook ingest benchmark (not a test), side by side: A the packaged trigger-service, B and C
# the reference app (bench/reference-app: B verify + send + 202 after the ack; C the same after one
# dedupe insert), each a child process with the same JVM options, on one embedded Kafka and
# PostgreSQL. Interleaved rounds per connection count; prints min/median/max requests/s, p50/p99,
# server and PostgreSQL CPU per request, the ratios A/B and A/C, and checks that every 202 has exactly
# one record on the target's topic (exit 3 when not). bench/README.md explains the figures.
#
# Usage: trigger-service/bench/bench.sh [requests per round=2000] [connections=32,128] [rounds=5]
# env:   BENCH_TARGETS (ABC; e.g. A for the trigger-service alone)  BENCH_JVM_OPTS (-Xmx256m)
#        BENCH_WARMUP (deliveries per target and connection count before the rounds; requests/2)
# Needs `./mvnw -B -q install -DskipTests -pl trigger-service,bench/reference-app -am` first (the
# reference app is built here when missing).
set -euo pipefail
cd "$(dirname "$0")/.."
REQUESTS=${1:-2000}
CONNECTIONS=${2:-32,128}
ROUNDS=${3:-5}
REFERENCE_JAR=../bench/reference-app/target/quarkus-app/quarkus-run.jar
test -f target/quarkus-app/quarkus-run.jar || {
  echo "build first: ./mvnw -B -q install -DskipTests -pl trigger-service,bench/reference-app -am" >&2; exit 1; }
if [[ "${BENCH_TARGETS:-ABC}" =~ [BC] ]] && [ ! -f "$REFERENCE_JAR" ]; then
  echo "# building the reference app (bench/reference-app)..." >&2
  (cd .. && ./mvnw -B -q install -DskipTests -pl bench/reference-app)
fi
../mvnw -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath > /dev/null
# Everything runs from a copy: a build of the shared tree during the run must not swap classes or jars.
SNAP=$(mktemp -d target/bench-apps.XXXXXX)
trap 'rm -rf "$SNAP"' EXIT
cp -r target/quarkus-app "$SNAP/trigger-service"
[ ! -f "$REFERENCE_JAR" ] || cp -r "$(dirname "$REFERENCE_JAR")" "$SNAP/reference-app"
# The harness needs only the contract and the local infrastructure: compiled here from its sources.
javac -nowarn -d "$SNAP/bench-classes" -cp "$(cat target/bench.classpath)" -sourcepath src/test/java \
  src/test/java/io/tributary/trigger/bench/WebhookBench.java
java -Dtributary.infra.embedded=true -cp "$SNAP/bench-classes:$(cat target/bench.classpath)" \
  io.tributary.trigger.bench.WebhookBench "$REQUESTS" "$CONNECTIONS" "$ROUNDS" \
  "$SNAP/trigger-service/quarkus-run.jar" "$SNAP/reference-app/quarkus-run.jar" 2>target/bench-infra.log \
  | grep -v '^SLF4J'
