#!/usr/bin/env bash
# Measures the standalone sandbox under load: 64 MB heap, 2 CPUs, 10,000 concurrent jobs.
# Usage: ./bench.sh [connections=10000] [seconds=20] [concurrency=64]
# Needs `../../mvnw -B verify` (or package) first. Prints figures; asserts nothing.
set -euo pipefail
cd "$(dirname "$0")"
CONNECTIONS=${1:-10000}
SECONDS_=${2:-20}
CONCURRENCY=${3:-64}
PORT=${BENCH_PORT:-18000}
JAR=$(ls target/tributary-airbyte-sandbox-*-runner.jar)

java -Xmx64m -XX:ActiveProcessorCount=2 -jar "$JAR" --port="$PORT" --host=127.0.0.1 > target/bench-sandbox.log 2>&1 &
SANDBOX_PID=$!
trap 'kill $SANDBOX_PID 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -sf "http://127.0.0.1:$PORT/api/public/v1/health" > /dev/null && break
  sleep 0.1
done

java -cp target/test-classes io.tributary.sandbox.bench.SandboxBench \
  "http://127.0.0.1:$PORT" "$CONNECTIONS" "$SECONDS_" "$CONCURRENCY"

echo "--- sandbox process (-Xmx64m, ActiveProcessorCount=2) after the run:"
jcmd "$SANDBOX_PID" GC.heap_info | grep -E "total|used" | head -3
echo "RSS: $(ps -o rss= -p "$SANDBOX_PID") kB; still alive: $(kill -0 $SANDBOX_PID && echo yes)"
