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

with_private_services bench node --import tsx bench/main.ts "$@"
