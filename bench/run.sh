#!/usr/bin/env bash
# The one command for Tributary's speed and footprint figures (issue 16), each next to a reference
# measured in the same run; bench/README.md explains every figure.
#
# usage: bench/run.sh [ingest] [footprint] [monitor] [stack]      (no argument: all four)
#
#   ingest     trigger-service/bench/bench.sh: signed-webhook ingest, A (trigger-service) against B and C
#              (bench/reference-app), interleaved rounds at 32 and 128 connections   ~4 min
#   footprint  bench/footprint/footprint.sh: idle RSS and start-to-ready of the five services against the
#              bare Quarkus app (bench/reference-app) and the Airbyte sandbox           ~19 min
#   monitor    sync-monitor-service/bench/burst.sh N for N = 500, 2000, 10000           up to ~45 min
#   stack      bench/stack/stack-rss.sh, the local stack's RSS (skipped when not there)
#
# env: BUILD=0 (skip the build)  INGEST_REQUESTS (2000)  INGEST_CONNECTIONS (32,128)  INGEST_ROUNDS (5)
#      FOOTPRINT_ROUNDS (3)  FOOTPRINT_WARMUP (1)  MONITOR_N ("500 2000 10000")  MONITOR_ARGS (passed
#      after N to burst.sh, e.g. "60 15": job seconds, minute limit)
#
# Every part's whole output goes to bench/target/run-<time>/<part>.txt; the summary table at the end
# (Markdown: figure, Tributary, reference, ratio, goal) is also saved there as summary.md. Parts print
# tab-separated "SUMMARY figure tributary reference ratio goal" lines; for scripts that do not (yet),
# a row is made from their last figure line.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
PARTS=("$@")
[ ${#PARTS[@]} -gt 0 ] || PARTS=(ingest footprint monitor stack)
for p in "${PARTS[@]}"; do
  case "$p" in ingest|footprint|monitor|stack) ;; *) echo "unknown part: $p (ingest footprint monitor stack)" >&2; exit 2;; esac
done
has() { [[ " ${PARTS[*]} " == *" $1 "* ]]; }

OUT="$ROOT/bench/target/run-$(date -u +%Y%m%dT%H%M%SZ)"
mkdir -p "$OUT"
SUMMARY="$OUT/summary.tsv"
: >"$SUMMARY"
note() { echo "# $(date -u +%H:%M:%S) $*" >&2; }
row() { printf 'SUMMARY\t%s\t%s\t%s\t%s\t%s\n' "$@" >>"$SUMMARY"; }

{
  echo "Tributary benchmarks: $(date -u '+%Y-%m-%d %H:%M') UTC, $(git rev-parse --short HEAD)" \
    "(+$(git status --porcelain --untracked-files=no | wc -l) modified files), parts: ${PARTS[*]}"
  echo "nproc $(nproc), $(uptime | sed 's/.*load average/load average/'), $(java -version 2>&1 | head -n1)"
} | tee "$OUT/machine.txt"

# --- build what the chosen parts need (one reactor call) -----------------------------------------
if [ "${BUILD:-1}" != 0 ]; then
  modules=()
  has ingest && modules+=(trigger-service bench/reference-app)
  has footprint && modules+=(deploy/local deploy/airbyte-sandbox bench/reference-app trigger-service
    sync-monitor-service transform-service notifier-service console-service)
  has monitor && modules+=(deploy/airbyte-sandbox sync-monitor-service)
  has stack && modules+=(deploy/local deploy/airbyte-sandbox trigger-service sync-monitor-service
    transform-service notifier-service console-service)
  list=$(printf '%s\n' "${modules[@]}" | sort -u | paste -sd, -)
  note "building $list"
  start=$SECONDS
  if ! ./mvnw -B -q install -DskipTests -pl "$list" -am >"$OUT/build.txt" 2>&1; then
    tail -n 40 "$OUT/build.txt" >&2
    echo "build failed; see $OUT/build.txt" >&2
    exit 1
  fi
  note "built in $((SECONDS - start)) s"
fi

# Runs one part, its output to $OUT/<name>.txt (and to the terminal), its SUMMARY lines collected.
run_part() {
  local name=$1; shift
  local start=$SECONDS
  note "$name: $*"
  "$@" 2> >(tee "$OUT/$name.err" >&2) | tee "$OUT/$name.txt"
  local rc=${PIPESTATUS[0]}
  note "$name: exit $rc after $((SECONDS - start)) s"
  grep -a $'^SUMMARY\t' "$OUT/$name.txt" >>"$SUMMARY"
  if [ "$rc" != 0 ]; then
    row "$name" "exit $rc" "-" "-" "see $OUT/$name.txt and .err"
  fi
  return 0
}

if has ingest; then
  run_part ingest trigger-service/bench/bench.sh "${INGEST_REQUESTS:-2000}" \
    "${INGEST_CONNECTIONS:-32,128}" "${INGEST_ROUNDS:-5}"
fi

if has footprint; then
  run_part footprint env ROUNDS="${FOOTPRINT_ROUNDS:-3}" WARMUP="${FOOTPRINT_WARMUP:-1}" \
    bench/footprint/footprint.sh
fi

if has monitor; then
  for n in ${MONITOR_N:-500 2000 10000}; do
    # shellcheck disable=SC2086 # MONITOR_ARGS is a list of arguments
    run_part "monitor-$n" sync-monitor-service/bench/burst.sh "$n" ${MONITOR_ARGS:-}
    if ! grep -qa $'^SUMMARY\t' "$OUT/monitor-$n.txt"; then
      # burst.sh prints no SUMMARY line (yet): rows from its closing figure lines.
      python3 bench/burst_summary.py "$n" "$OUT/monitor-$n.txt" >>"$SUMMARY"
    fi
  done
fi

if has stack; then
  if [ -x bench/stack/stack-rss.sh ]; then
    run_part stack bench/stack/stack-rss.sh
    if ! grep -qa $'^SUMMARY\t' "$OUT/stack.txt"; then
      row "local stack RSS" "$(grep -av '^#' "$OUT/stack.txt" | grep -a . | tail -n1)" "-" "-" "≤ 1.5 GB"
    fi
  else
    note "stack: skipped, bench/stack/stack-rss.sh is not there (yet)"
    row "local stack RSS" "not measured (bench/stack/stack-rss.sh missing)" "-" "-" "≤ 1.5 GB"
  fi
fi

{
  echo
  cat "$OUT/machine.txt"
  echo "end: $(date -u '+%H:%M') UTC, $(uptime | sed 's/.*load average/load average/')"
  echo
  echo "| figure | Tributary | reference | ratio | goal |"
  echo "|---|---|---|---|---|"
  awk -F'\t' '{ printf "| %s | %s | %s | %s | %s |\n", $2, $3, $4, $5, $6 }' "$SUMMARY"
  echo
  echo "whole outputs: $OUT"
} | tee "$OUT/summary.md"
