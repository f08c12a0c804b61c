#!/usr/bin/env bash
# The test command (`npm test`): unit and integration tests against a real Temporal dev
# server and a real Redis, both private to this run (scripts/lib/private-services.ts).
# Extra arguments select test files.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/tools.sh

export HUB_PAYLOAD_KEYS="$HUB_TEST_PAYLOAD_KEYS"

output=$(mktemp "${TMPDIR:-/tmp}/hub-test-output.XXXXXX")
trap 'rm -f "$output"' EXIT

if [ "$#" -gt 0 ]; then files=("$@"); else mapfile -t files < <(find test -name '*.test.ts' | sort); fi

# The production-like tests (test/production/) run a temporal-server of their own on PostgreSQL and take minutes per
# file: they run after the others, one file at a time, with a time-out of their own. Their server is built here,
# before any test's clock runs, when PostgreSQL answers (else the tests skip, saying why).
regular=()
production=()
for file in "${files[@]}"; do
  case "$file" in
    *test/production/*) production+=("$file") ;;
    *) regular+=("$file") ;;
  esac
done
if [ "${#production[@]}" -gt 0 ] && bash scripts/production-temporal.sh check 2>/dev/null; then
  HUB_TEMPORAL_SERVER_DIR=$(ensure_temporal_server)
  export HUB_TEMPORAL_SERVER_DIR
fi

# --test-force-exit: a test file whose test timed out still has a worker or server open; without it the
# run would wait for that file forever instead of reporting the failure. (It also cuts a file reporter
# short, so the counts are read from the spec reporter's own summary on stdout.)
status=0
set +e
if [ "${#regular[@]}" -gt 0 ]; then
  with_private_services test node --import tsx --test --test-timeout=120000 --test-force-exit --test-reporter=spec \
    "${regular[@]}" | tee -a "$output"
  status=${PIPESTATUS[0]}
fi
if [ "${#production[@]}" -gt 0 ]; then
  with_private_services test-production node --import tsx --test --test-concurrency=1 --test-timeout=1800000 \
    --test-force-exit --test-reporter=spec "${production[@]}" | tee -a "$output"
  production_status=${PIPESTATUS[0]}
  [ "$status" -eq 0 ] && status=$production_status
fi
set -e

# Each run prints its own summary: add them up.
sum() { sed -n "s/^ℹ $1 \([0-9]*\)$/\1/p" "$output" | awk '{ n += $1 } END { print n + 0 }'; }
passed=$(sum pass)
failed=$(sum fail)
# A test cut off by its time-out is reported as cancelled: it failed.
failed=$((failed + $(sum cancelled)))
# A run that failed without counting a failure still counts as one.
if [ "$status" -ne 0 ] && [ "${failed:-0}" -eq 0 ]; then failed=1; fi
echo "${passed:-0} passed, ${failed:-0} failed"
exit "$status"
