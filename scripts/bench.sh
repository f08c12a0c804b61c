#!/usr/bin/env bash
# `npm run bench`: the benchmarks against a private Temporal dev server and Redis, like the tests.
# Prints a table per part and the whole result as JSON (also written to var/bench.json).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/tools.sh
. scripts/lib/services.sh

temporal_cli=$(ensure_temporal_cli)
redis_server=$(ensure_redis_server)
export TEMPORAL_CLI="$temporal_cli" REDIS_SERVER="$redis_server"

run_dir=$(mktemp -d "${TMPDIR:-/tmp}/hub-bench.XXXXXX")
cleanup() {
  [ -n "${TEMPORAL_PID:-}" ] && kill "$TEMPORAL_PID" 2>/dev/null || true
  [ -n "${REDIS_PID:-}" ] && kill "$REDIS_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$run_dir"
}
trap cleanup EXIT

start_temporal_dev "$temporal_cli" "$run_dir/temporal.log"
start_private_redis "$redis_server" "$run_dir/redis"
node --import tsx bench/main.ts "$@"
