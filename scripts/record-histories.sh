#!/usr/bin/env bash
# `npm run histories:record`: records test/replay/histories/*.json (test/replay/record.ts) against a
# private Temporal dev server and Redis, started and thrown away as for `npm test`.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/tools.sh

temporal_cli=$(ensure_temporal_cli)
redis_server=$(ensure_redis_server)
export TEMPORAL_CLI="$temporal_cli" REDIS_SERVER="$redis_server"

run_dir=$(mktemp -d "${TMPDIR:-/tmp}/hub-record.XXXXXX")
trap 'rm -rf "$run_dir"' EXIT

node --import tsx scripts/lib/private-services.ts --dir "$run_dir" --label record -- \
  node --import tsx test/replay/record.ts
