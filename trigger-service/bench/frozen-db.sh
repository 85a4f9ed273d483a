#!/usr/bin/env bash
# Webhook answers while PostgreSQL is frozen (issue 17; not a test): the packaged trigger-service on
# embedded Kafka and PostgreSQL, S senders posting signed deliveries while the database is stopped
# (SIGSTOP) for F seconds. Prints the answer-time distribution by status against the bound (publish
# timeout + 2 s), retries what was not accepted after the thaw, and checks exactly-once on the topic.
# Usage: trigger-service/bench/frozen-db.sh [senders=16] [freeze-seconds=20]
# Needs `./mvnw -B install -DskipTests -pl trigger-service -am` first.
set -euo pipefail
cd "$(dirname "$0")/.."
test -f target/quarkus-app/quarkus-run.jar || { echo "build first: ./mvnw -B install -DskipTests -pl trigger-service -am" >&2; exit 1; }
../mvnw -q -B dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/frozen.classpath > /dev/null
java -Dtributary.infra.embedded=true -cp "target/test-classes:target/classes:$(cat target/frozen.classpath)" \
  io.tributary.trigger.bench.FrozenDatabaseBench "${1:-16}" "${2:-20}" target/quarkus-app/quarkus-run.jar \
  2>target/frozen-infra.log | grep -v '^SLF4J'
