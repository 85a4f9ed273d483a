#!/usr/bin/env bash
# Footprint of the five Tributary services at idle: start-to-ready time, idle RSS and heap after a
# full GC, each service started alone, in interleaved rounds, next to the reference: the bare Quarkus
# app of bench/reference-app (REST, messaging-kafka, Agroal + PostgreSQL, health; no Hibernate), and
# as a second line the Airbyte sandbox runner jar (a plain Vert.x app; SANDBOX_REFERENCE=0 leaves it
# out). Ratios are to the bare app; lines starting with SUMMARY are for bench/run.sh.
#
# usage: bench/footprint/footprint.sh [TREE]      (TREE: a built Tributary tree; default: this repo)
# env:   ROUNDS (5)  WARMUP (1 discarded round)  IDLE_SECONDS (20)  COOLDOWN_SECONDS (3)
#        SERVICE_XMX (256m, as ./tributary)  JAVA_OPTS_EXTRA (appended to every measured JVM)
#        ONLY ("trigger-service console-service ..." : measure a subset; the reference is always in)
#
# Needs the tree built (./mvnw -B -q package -DskipTests), and this repository's
# bench/reference-app (the same reference whatever TREE is measured). Kafka, PostgreSQL and an Airbyte sandbox
# (for sync-monitor-service's readiness) are started once, on free ports, with their data in a fresh
# directory under /tmp that is deleted at the end; every process this script starts is stopped.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
TREE=$(cd "${1:-$HERE/../..}" && pwd)
cd "$TREE"

SANDBOX_JAR=$(ls deploy/airbyte-sandbox/target/tributary-airbyte-sandbox-*-runner.jar 2>/dev/null | head -n1 || true)
REF_JAR=$(cd "$HERE/../reference-app" && pwd)/target/quarkus-app/quarkus-run.jar
missing=()
[ -f "$REF_JAR" ] || missing+=("$REF_JAR (./mvnw -B -q install -DskipTests -pl bench/reference-app)")
[ -f deploy/local/target/classpath.txt ] || missing+=(deploy/local/target/classpath.txt)
[ -f deploy/local/target/classes/io/tributary/local/LocalStack.class ] || missing+=(LocalStack.class)
[ -n "$SANDBOX_JAR" ] || missing+=(the sandbox runner jar)
for s in trigger-service sync-monitor-service transform-service notifier-service console-service; do
  [ -f "$s/target/quarkus-app/quarkus-run.jar" ] || missing+=("$s/target/quarkus-app/quarkus-run.jar")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "not built ($TREE): ${missing[*]}; run ./mvnw -B -q package -DskipTests there first" >&2
  exit 1
fi

RUN_ID=fp$$-$(date +%s)
DATA=$(mktemp -d "/tmp/tributary-footprint.XXXXXX")
mkdir -p "$DATA/logs"
INFRA_PIDS=()
cleanup() {
  trap - EXIT INT TERM
  for ((i=${#INFRA_PIDS[@]}-1; i>=0; i--)); do kill "${INFRA_PIDS[$i]}" 2>/dev/null || true; done
  for pid in ${INFRA_PIDS[@]+"${INFRA_PIDS[@]}"}; do
    for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$pid" 2>/dev/null || true
  done
  # Anything of ours still alive (a PostgreSQL child of LocalStack, a service): its command line
  # names our data directory or run id, which no other process has.
  left=$(pgrep -f -- "$DATA|tributary.footprint=$RUN_ID" || true)
  if [ -n "$left" ]; then
    echo "stopping leftovers: $left" >&2
    kill $left 2>/dev/null || true; sleep 3; kill -9 $left 2>/dev/null || true
  fi
  rm -rf "$DATA"
}
trap cleanup EXIT INT TERM

echo "# Starting Kafka and PostgreSQL (data in $DATA)..." >&2
java -Xmx512m -Dtributary.infra.embedded=true \
  -cp "deploy/local/target/classes:$(cat deploy/local/target/classpath.txt)" \
  io.tributary.local.LocalStack --data-dir "$DATA/infra" --kafka-port 0 --postgres-port 0 \
  >"$DATA/logs/infra.log" 2>&1 &
INFRA_PIDS+=($!)
for _ in $(seq 1 480); do
  grep -q '^READY' "$DATA/logs/infra.log" 2>/dev/null && break
  kill -0 "${INFRA_PIDS[0]}" 2>/dev/null || { cat "$DATA/logs/infra.log" >&2; exit 1; }
  sleep 0.5
done
grep -q '^READY' "$DATA/logs/infra.log" || { echo "infrastructure did not come up" >&2; exit 1; }

prop() { grep "^$1=" "$DATA/infra/infra.properties" | head -n1 | cut -d= -f2- | sed 's/\\:/:/g'; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# The Airbyte sandbox sync-monitor-service needs for its readiness (as ./tributary starts it).
SANDBOX_PORT=$(free_port)
HINT_SECRET=$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')
java -Xmx64m -jar "$SANDBOX_JAR" --port="$SANDBOX_PORT" --host=127.0.0.1 \
  --auth=client-credentials --client-id=sandbox-client --client-secret=sandbox-secret \
  --jdbc-url="$(prop warehouse.jdbc.url)" --jdbc-user="$(prop warehouse.jdbc.username)" \
  --jdbc-password="$(prop warehouse.jdbc.password)" \
  --webhook-url="http://127.0.0.1:1/airbyte/notifications/$HINT_SECRET" \
  >"$DATA/logs/airbyte-sandbox.log" 2>&1 &
INFRA_PIDS+=($!)
for _ in $(seq 1 240); do
  curl -fsS "http://127.0.0.1:$SANDBOX_PORT/api/public/v1/health" >/dev/null 2>&1 && break
  sleep 0.5
done

# Everything footprint.py needs to start each service as ./tributary dev --no-demo does.
# Measured from a copy: a build of the tree during the run must not swap a service's jars.
mkdir -p "$DATA/apps"
for s in trigger-service sync-monitor-service transform-service notifier-service console-service; do
  cp -r "$s/target/quarkus-app" "$DATA/apps/$s"
done
cp -r "$(dirname "$REF_JAR")" "$DATA/apps/reference-app"
export FP_TREE="$TREE" FP_DATA="$DATA" FP_RUN_ID="$RUN_ID" FP_SANDBOX_JAR="$TREE/$SANDBOX_JAR"
export FP_REF_JAR="$DATA/apps/reference-app/quarkus-run.jar"
export FP_KAFKA=$(prop kafka.bootstrap.servers)
export FP_INFRA_PROPS="$DATA/infra/infra.properties"
export FP_AIRBYTE_URL="http://127.0.0.1:$SANDBOX_PORT/api/public/v1"
export FP_HINT_SECRET="$HINT_SECRET"
export FP_TREE_REV=$(git -C "$TREE" rev-parse --short HEAD 2>/dev/null || echo unknown)
export FP_TREE_DIRTY=$(git -C "$TREE" status --porcelain --untracked-files=no 2>/dev/null | wc -l)
python3 "$HERE/footprint.py"
