#!/usr/bin/env bash
# `npm run bench`: every performance figure in one run, against a private Temporal dev server and
# Redis like the tests (scripts/lib/private-services.ts). bench/main.ts compiles the hub into
# var/bench-dist and runs the production worker and gateway as child processes, the simulators in a
# third; the ingest part starts dev servers of its own. Prints a table per part, the JSON (also
# var/bench.json) and the missed targets; exits 0 when targets are missed, 1 when a part failed.
# `npm run bench -- --help` lists the parts and flags (e.g. `npm run bench -- --small ingest`).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/tools.sh

case " $* " in *" --help "*) exec node --import tsx bench/main.ts --help ;; esac

temporal_cli=$(ensure_temporal_cli)
redis_server=$(ensure_redis_server)
export TEMPORAL_CLI="$temporal_cli" REDIS_SERVER="$redis_server"

run_dir=$(mktemp -d "${TMPDIR:-/tmp}/hub-bench.XXXXXX")
trap 'rm -rf "$run_dir"' EXIT

node --import tsx scripts/lib/private-services.ts --dir "$run_dir" --label bench -- node --import tsx bench/main.ts "$@"
