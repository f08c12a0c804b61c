#!/usr/bin/env bash
# The test command (`npm test`): unit and integration tests against a real Temporal dev
# server and a real Redis, both private to this run (scripts/lib/private-services.ts).
# Extra arguments select test files.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/tools.sh

output=$(mktemp "${TMPDIR:-/tmp}/hub-test-output.XXXXXX")
trap 'rm -f "$output"' EXIT

if [ "$#" -gt 0 ]; then files=("$@"); else mapfile -t files < <(find test -name '*.test.ts' | sort); fi

# --test-force-exit: a test file whose test timed out still has a worker or server open; without it the
# run would wait for that file forever instead of reporting the failure. (It also cuts a file reporter
# short, so the counts are read from the spec reporter's own summary on stdout.)
set +e
with_private_services test node --import tsx --test --test-timeout=120000 --test-force-exit --test-reporter=spec \
  "${files[@]}" | tee "$output"
status=${PIPESTATUS[0]}
set -e

passed=$(sed -n 's/^ℹ pass \([0-9]*\)$/\1/p' "$output" | tail -1)
failed=$(sed -n 's/^ℹ fail \([0-9]*\)$/\1/p' "$output" | tail -1)
cancelled=$(sed -n 's/^ℹ cancelled \([0-9]*\)$/\1/p' "$output" | tail -1)
# A test cut off by its time-out is reported as cancelled: it failed.
failed=$((${failed:-0} + ${cancelled:-0}))
# A run that failed without counting a failure still counts as one.
if [ "$status" -ne 0 ] && [ "${failed:-0}" -eq 0 ]; then failed=1; fi
echo "${passed:-0} passed, ${failed:-0} failed"
exit "$status"
