#!/usr/bin/env bash
# Signed-webhook ingest benchmark of the packaged trigger-service (not a test): embedded Kafka and
# PostgreSQL, the service as a child process (acks=all), N Standard Webhooks deliveries from C threads.
# Prints requests/s, p50/p99 latency, and the events found on tributary.sync.requests (must equal the 202s).
# Usage: trigger-service/bench/bench.sh [requests=5000] [concurrency=32]
# Needs `./mvnw -B install -pl service-support,trigger-service` (or -DskipTests) first.
set -euo pipefail
cd "$(dirname "$0")/.."
REQUESTS=${1:-5000}
CONCURRENCY=${2:-32}
test -f target/quarkus-app/quarkus-run.jar || { echo "build first: ./mvnw -B install -pl service-support,trigger-service" >&2; exit 1; }
../mvnw -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.classpath > /dev/null
java -Dtributary.infra.embedded=true -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  io.tributary.trigger.bench.WebhookBench "$REQUESTS" "$CONCURRENCY" target/quarkus-app/quarkus-run.jar 2>target/bench-infra.log \
  | grep -v '^SLF4J'
