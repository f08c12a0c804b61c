#!/usr/bin/env bash
# Makes sure the local tools exist and prints where they are, as KEY=VALUE lines.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/tools.sh
temporal_cli=$(ensure_temporal_cli)
redis_server=$(ensure_redis_server || true)
echo "TEMPORAL_CLI=$temporal_cli"
echo "REDIS_SERVER=$redis_server"
