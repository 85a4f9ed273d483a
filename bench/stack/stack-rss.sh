#!/usr/bin/env bash
# The whole local stack's memory: starts ./tributary dev on a built tree, waits until it says it is
# running, lets it idle, then lists every process of the stack (the infrastructure JVM with Kafka,
# PostgreSQL's processes, the Airbyte sandbox, the five services, the pipeline log) with its RSS,
# optionally runs the demo pipeline a few times and measures again, and stops everything.
#
# usage: bench/stack/stack-rss.sh [TREE]      (TREE: a built Tributary tree; default: this repo)
# env:   IDLE_SECONDS (20)  PIPELINES (5 demo pipelines, one after the other; 0: none)
#        TRIBUTARY_JAVA_OPTS, TRIBUTARY_CDS: passed on to ./tributary
#
# Also prints how long the start took: wall seconds from launch to "Tributary is running", and the
# CPU seconds the stack's processes had used by then (less sensitive to a busy machine). When
# ./tributary records its class-data archives on this start (first run after a build), that start
# is reported as the first start and a second one is measured. Data goes to a fresh directory under
# /tmp, deleted at the end. The last two lines are "stack total PSS: <MB> MB" and
# "stack total RSS: <MB> MB" (idle).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
TREE=$(cd "${1:-$HERE/../..}" && pwd)
IDLE_SECONDS=${IDLE_SECONDS:-20}
PIPELINES=${PIPELINES:-5}

for port in 8000 8081 8082 8083 8084 8085 8090 19092 15432; do
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    echo "port $port is in use: ./tributary dev needs 8000, 8081-8085, 8090, 19092 and 15432" >&2
    exit 1
  fi
done
for s in trigger-service sync-monitor-service transform-service notifier-service console-service; do
  [ -f "$TREE/$s/target/quarkus-app/quarkus-run.jar" ] || {
    echo "not built: $TREE/$s (./mvnw -B -q package -DskipTests first)" >&2; exit 1; }
done

WORK=$(mktemp -d /tmp/tributary-stack.XXXXXX)
STACK_PID=
stop_stack() { # as Ctrl-C does; a first run writes its class-data archives meanwhile (slow)
  [ -n "$STACK_PID" ] || return 0
  local t0; t0=$(date +%s%N)
  kill -TERM "$STACK_PID" 2>/dev/null || true
  for _ in $(seq 1 3000); do kill -0 "$STACK_PID" 2>/dev/null || break; sleep 0.1; done
  # Anything left behind (./tributary waits for its children, so normally nothing).
  left=$(pgrep -s "$STACK_PID" || true)
  [ -z "$left" ] || { echo "stopping leftovers: $left" >&2; kill $left 2>/dev/null || true; }
  STACK_PID=
  STOP_S=$(awk "BEGIN { printf \"%.1f\", ($(date +%s%N) - $t0) / 1e9 }")
}
cleanup() { trap - EXIT INT TERM; stop_stack; rm -rf "$WORK"; }
trap cleanup EXIT INT TERM

procs() { python3 "$HERE/procs.py" "$1" "$STACK_PID" "$WORK/data/infra/postgres"; }

# start_stack LABEL: starts ./tributary dev, waits until running; sets START_S, START_CPU, RECORDING
start_stack() {
  rm -rf "$WORK/data"; mkdir -p "$WORK/data"
  : >"$WORK/out"
  local t0; t0=$(date +%s%N)
  (cd "$TREE" && exec setsid ./tributary dev --data-dir "$WORK/data" >"$WORK/out" 2>&1) &
  STACK_PID=$!
  until grep -q '^Tributary is running' "$WORK/out"; do
    kill -0 "$STACK_PID" 2>/dev/null || { cat "$WORK/out" >&2; echo "./tributary dev ended" >&2; exit 1; }
    [ $(( ($(date +%s%N) - t0) / 1000000000 )) -lt 600 ] || { echo "not running after 600 s" >&2; exit 1; }
    sleep 0.1
  done
  START_S=$(awk "BEGIN { printf \"%.1f\", ($(date +%s%N) - $t0) / 1e9 }")
  START_CPU=$(procs cpu)
  until grep -q '^Press Ctrl-C' "$WORK/out"; do sleep 0.1; done
  RECORDING=0
  if grep -q '^Recording class-data archives' "$WORK/out"; then RECORDING=1; fi
}

# pipelines_done N: the pipeline log shows N ended transforms and N ended hubspot syncs
ended() { grep -cE "$1" "$WORK/out" || true; }
HUBSPOT=c0ffee00-0000-4000-8000-000000000003
run_pipelines() {
  local i
  for i in $(seq 1 "$PIPELINES"); do
    sh "$WORK/data/send-webhook.sh" >/dev/null
    for _ in $(seq 1 1800); do
      [ "$(ended '^[0-9:]+ transform\.(succeeded|failed) ')" -ge "$i" ] &&
        [ "$(ended "^[0-9:]+ sync\.(succeeded|failed|cancelled) +$HUBSPOT")" -ge "$i" ] && break
      sleep 0.1
    done
  done
  # Then until every dbt run that started has ended and the log has been quiet for 3 s.
  local size=-1 quiet=0
  for _ in $(seq 1 600); do
    if [ "$(ended '^[0-9:]+ transform\.started ')" -le "$(ended '^[0-9:]+ transform\.(succeeded|failed) ')" ] &&
      [ "$(wc -c <"$WORK/out")" = "$size" ]; then
      quiet=$((quiet + 1)); [ "$quiet" -ge 30 ] && break
    else
      quiet=0
    fi
    size=$(wc -c <"$WORK/out")
    sleep 0.1
  done
}

echo "# Tributary local stack: tree $TREE @ $(git -C "$TREE" rev-parse --short HEAD 2>/dev/null || echo '?')"
echo "# $(date -u '+%Y-%m-%d %H:%M') UTC, $(nproc) CPUs, $(java -version 2>&1 | head -n1)"
echo "# load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
start_stack
if [ "$RECORDING" = 1 ]; then
  echo "first start (records the class-data archives): running after $START_S s, $START_CPU CPU s"
  stop_stack
  echo "first stop (writes the archives): $STOP_S s"
  start_stack
fi
echo "start: running after $START_S s, $START_CPU CPU s (all processes of the stack)"
cpu0=$(procs cpu)
sleep "$IDLE_SECONDS"
cpu1=$(procs cpu)
echo
echo "idle, $IDLE_SECONDS s after running ($(awk "BEGIN { printf \"%.1f\", $cpu1 - $cpu0 }") CPU s meanwhile):"
idle=$(procs rss)
echo "$idle" | grep -v '^TOTAL_'
IDLE_MB=$(echo "$idle" | sed -n 's/^TOTAL_RSS_MB=\([0-9]*\).*/\1/p')
IDLE_PSS_MB=$(echo "$idle" | sed -n 's/.*TOTAL_PSS_MB=\([0-9]*\).*/\1/p')
if [ "$PIPELINES" -gt 0 ]; then
  run_pipelines
  echo
  echo "after $PIPELINES demo pipelines (webhook, sync, dbt build, chained sync, notifications):"
  after=$(procs rss)
  echo "$after" | grep -v '^TOTAL_'
  echo "stack total RSS after $PIPELINES pipelines: $(echo "$after" | sed -n 's/^TOTAL_RSS_MB=\([0-9]*\).*/\1/p') MB"
fi
echo "# load average at end: $(cut -d' ' -f1-3 /proc/loadavg)"
stop_stack
echo "stop: $STOP_S s"
echo "stack total PSS: $IDLE_PSS_MB MB"
echo "stack total RSS: $IDLE_MB MB"
