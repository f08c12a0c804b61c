#!/usr/bin/env bash
# `npm run histories:record`: records test/replay/histories/*.json (test/replay/record.ts) against a
# private Temporal dev server and Redis, started and thrown away as for `npm test`.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/tools.sh

export HUB_PAYLOAD_KEYS="$HUB_TEST_PAYLOAD_KEYS"
with_private_services record node --import tsx test/replay/record.ts
