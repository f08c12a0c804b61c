#!/usr/bin/env bash
# The test command (`npm test`): unit and integration tests against a real Temporal dev
# server and a real Redis, both private to this run. Extra arguments select test files.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/tools.sh
. scripts/lib/services.sh

temporal_cli=$(ensure_temporal_cli)
redis_server=$(ensure_redis_server)
export TEMPORAL_CLI="$temporal_cli" REDIS_SERVER="$redis_server"

run_dir=$(mktemp -d "${TMPDIR:-/tmp}/hub-test.XXXXXX")
cleanup() {
  [ -n "${TEMPORAL_PID:-}" ] && kill "$TEMPORAL_PID" 2>/dev/null || true
  [ -n "${REDIS_PID:-}" ] && kill "$REDIS_PID" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$run_dir"
}
trap cleanup EXIT

start_temporal_dev "$temporal_cli" "$run_dir/temporal.log"
start_private_redis "$redis_server" "$run_dir/redis"
echo "[test] Temporal $TEMPORAL_ADDRESS, Redis $REDIS_URL" >&2

if [ "$#" -gt 0 ]; then files=("$@"); else mapfile -t files < <(find test -name '*.test.ts' | sort); fi

status=0
node --import tsx --test --test-timeout=120000 \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$run_dir/results.tap" \
  "${files[@]}" || status=$?

passed=$(sed -n 's/^# pass \([0-9]*\)$/\1/p' "$run_dir/results.tap" | tail -1)
failed=$(sed -n 's/^# fail \([0-9]*\)$/\1/p' "$run_dir/results.tap" | tail -1)
echo "${passed:-0} passed, ${failed:-0} failed"
exit "$status"
