#!/usr/bin/env bash
# dbt time of the demo project's full `dbt build` against the changed-only build that
# `select: changed` runs when one stream changed (`--select source:raw_shop.orders+`), on the
# embedded PostgreSQL with the sandbox's shop data. A benchmark, not a test: interleaved rounds
# (full, changed, full, changed, ...), each dbt run in a fresh target directory as the
# transform-service runs it (no partial parse); prints min/median/max wall and CPU (user+sys)
# seconds per kind, the ratios changed/full, and the load average before and after.
#
# Usage: transform-service/bench/changed-only.sh [rounds=3]
# env:   BENCH_PG_PORT (25432), BENCH_KAFKA_PORT (29092): the embedded infrastructure's ports
# Needs `./mvnw -B -q install -DskipTests -pl deploy/local,deploy/airbyte-sandbox -am` and the dbt
# venv (deploy/dbt/.venv, made by the transform-service build).
set -euo pipefail
ROUNDS=${1:-3}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
cd "$ROOT"
DBT=deploy/dbt/.venv/bin/dbt
LOCAL_JAR=$(ls deploy/local/target/tributary-local-infra-*.jar 2>/dev/null | grep -v -e -sources -e -tests | head -n1 || true)
SANDBOX_JAR=$(ls deploy/airbyte-sandbox/target/tributary-airbyte-sandbox-*-runner.jar 2>/dev/null | head -n1 || true)
[ -x "$DBT" ] && [ -n "$LOCAL_JAR" ] && [ -n "$SANDBOX_JAR" ] || {
  echo "build first: ./mvnw -B -q install -DskipTests -pl deploy/local,deploy/airbyte-sandbox -am (and the dbt venv)" >&2; exit 1; }

WORK=$(mktemp -d "${TMPDIR:-/tmp}/changed-only.XXXXXX")
INFRA_PID=
cleanup() {
  [ -z "$INFRA_PID" ] || { kill "$INFRA_PID" 2>/dev/null || true; wait "$INFRA_PID" 2>/dev/null || true; }
  rm -rf "$WORK"
}
trap cleanup EXIT

echo "# load before: $(uptime | sed 's/.*load average: //')"
java -XX:TieredStopAtLevel=1 -Xmx256m -cp "$LOCAL_JAR:$(cat deploy/local/target/classpath.txt)" \
  io.tributary.local.LocalStack --data-dir "$WORK/infra" --pg-binaries deploy/local/target/pg-binaries \
  --kafka-port "${BENCH_KAFKA_PORT:-29092}" --postgres-port "${BENCH_PG_PORT:-25432}" \
  >"$WORK/infra.log" 2>&1 &
INFRA_PID=$!
for _ in $(seq 1 240); do grep -qs '^READY' "$WORK/infra.log" && break; sleep 0.5; done
grep -q '^READY' "$WORK/infra.log" || { echo "infrastructure did not start:" >&2; tail -20 "$WORK/infra.log" >&2; exit 1; }
prop() { grep "^$1=" "$WORK/infra/infra.properties" | head -n1 | cut -d= -f2- | sed 's/\\:/:/g'; }
URL=$(prop warehouse.jdbc.url); PORT=${URL##*:}; PORT=${PORT%%/*}
java -XX:TieredStopAtLevel=1 -cp "$SANDBOX_JAR" transform-service/bench/LoadShop.java \
  "$URL" "$(prop warehouse.jdbc.username)" "$(prop warehouse.jdbc.password)" 2>/dev/null

# dbt sees only what the transform-service would give it.
export WAREHOUSE_HOST=127.0.0.1 WAREHOUSE_PORT="$PORT" WAREHOUSE_DB=warehouse \
  WAREHOUSE_USER="$(prop warehouse.jdbc.username)" WAREHOUSE_PASSWORD="$(prop warehouse.jdbc.password)" \
  DBT_SEND_ANONYMOUS_USAGE_STATS=false DBT_VERSION_CHECK=false
N=0
# run KIND [dbt args...]: one dbt build in a fresh target; appends "wall cpu elapsed" to $WORK/KIND
# (elapsed: dbt's own elapsed_time in run_results.json, the nodes' work without start-up and parse)
run() {
  local kind=$1; shift; N=$((N + 1))
  /usr/bin/time -f "%e %U %S" -o "$WORK/time" "$DBT" --no-use-colors build \
    --project-dir deploy/dbt/demo --profiles-dir deploy/dbt/demo \
    --target-path "$WORK/run$N/target" --log-path "$WORK/run$N/logs" "$@" >"$WORK/run$N.out" 2>&1 \
    || { echo "dbt build ($kind) failed:" >&2; tail -20 "$WORK/run$N.out" >&2; exit 1; }
  elapsed=$(deploy/dbt/.venv/bin/python -c 'import json, sys; print(round(json.load(open(sys.argv[1]))["elapsed_time"], 2))' "$WORK/run$N/target/run_results.json")
  awk -v e="$elapsed" '{ printf "%s %.2f %s\n", $1, $2 + $3, e }' "$WORK/time" >>"$WORK/$kind"
  echo "# $kind: $(grep -o 'Done\..*' "$WORK/run$N.out") ($(cut -d' ' -f1 "$WORK/time") s)"
}
run warmup   # builds the views and tables both kinds then find in place
for _ in $(seq 1 "$ROUNDS"); do
  run full
  run changed --select source:raw_shop.orders+
done
stats() { # FILE COLUMN -> min median max
  cut -d' ' -f"$2" "$1" | sort -n | awk '{ v[NR] = $1 } END {
    m = NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2
    printf "%.2f %.2f %.2f", v[1], m, v[NR] }'
}
echo
printf '%-34s %8s %8s %8s\n' "dbt build, $ROUNDS interleaved rounds" min median max
for kind in full changed; do
  read -r wmin wmed wmax <<<"$(stats "$WORK/$kind" 1)"
  read -r cmin cmed cmax <<<"$(stats "$WORK/$kind" 2)"
  read -r emin emed emax <<<"$(stats "$WORK/$kind" 3)"
  printf '%-34s %8s %8s %8s\n' "$kind wall s" "$wmin" "$wmed" "$wmax" "$kind cpu s (user+sys)" "$cmin" "$cmed" "$cmax" \
    "$kind dbt elapsed_time s" "$emin" "$emed" "$emax"
done
median() { stats "$WORK/$1" "$2" | cut -d' ' -f2; }
awk -v fw="$(median full 1)" -v cw="$(median changed 1)" -v fc="$(median full 2)" -v cc="$(median changed 2)" \
  -v fe="$(median full 3)" -v ce="$(median changed 3)" \
  'BEGIN { printf "ratio changed/full (medians): wall %.2f, cpu %.2f, dbt elapsed_time %.2f\n", cw / fw, cc / fc, ce / fe }'
echo "# load after: $(uptime | sed 's/.*load average: //')"
