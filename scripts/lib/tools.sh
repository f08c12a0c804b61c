# Sourced by the project's scripts: finds or installs the two binaries the hub needs
# locally (the Temporal CLI and redis-server). Progress goes to stderr, paths to stdout.

HUB_CACHE_DIR="${HUB_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/bitbylaw-hub}"
# Later CLI versions carry a replace directive in go.mod and cannot be `go install`ed.
TEMPORAL_CLI_VERSION="v1.5.1"

log() { printf '[setup] %s\n' "$*" >&2; }

# Prints the path of a `temporal` CLI: from PATH, from the cache, or built once with go install.
ensure_temporal_cli() {
  if [ -n "${TEMPORAL_CLI:-}" ] && [ -x "$TEMPORAL_CLI" ]; then echo "$TEMPORAL_CLI"; return 0; fi
  if command -v temporal >/dev/null 2>&1; then command -v temporal; return 0; fi
  local bin="$HUB_CACHE_DIR/bin/temporal"
  if [ -x "$bin" ]; then echo "$bin"; return 0; fi
  if ! command -v go >/dev/null 2>&1; then
    log "the Temporal CLI is missing and Go is not installed to build it."
    log "install Go (https://go.dev/dl) or put a 'temporal' binary on PATH, then run this again."
    return 1
  fi
  mkdir -p "$HUB_CACHE_DIR/bin"
  # One build at a time: a second caller waits for the first and then finds the binary.
  exec 9>"$HUB_CACHE_DIR/temporal-build.lock"
  flock 9
  if [ ! -x "$bin" ]; then
    log "building the Temporal CLI $TEMPORAL_CLI_VERSION with go install (once; about 5-10 minutes)..."
    local started=$SECONDS
    ( while sleep 30; do log "  still building the Temporal CLI ($((SECONDS - started)) s)..."; done ) &
    local ticker=$!
    if ! GOBIN="$HUB_CACHE_DIR/bin" GOFLAGS=-mod=mod go install "github.com/temporalio/cli/cmd/temporal@$TEMPORAL_CLI_VERSION" >&2; then
      kill "$ticker" 2>/dev/null
      flock -u 9
      log "building the Temporal CLI failed (see above)."
      return 1
    fi
    kill "$ticker" 2>/dev/null
    log "Temporal CLI built in $((SECONDS - started)) s: $bin"
  fi
  flock -u 9
  echo "$bin"
}

# Prints the path of redis-server, installing Debian's package when it is missing and we are root.
ensure_redis_server() {
  if command -v redis-server >/dev/null 2>&1; then command -v redis-server; return 0; fi
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
    log "installing redis-server (Debian package)..."
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >&2 &&
      DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >&2 || {
        log "apt-get install redis-server failed."
        return 1
      }
    command -v redis-server
    return 0
  fi
  log "redis-server is missing. Install it (Debian/Ubuntu: sudo apt-get install redis-server; macOS: brew install redis) or set REDIS_URL to a running Redis."
  return 1
}

# with_private_services LABEL COMMAND [ARG ...]: runs COMMAND against a Temporal dev server and a Redis of its
# own (scripts/lib/private-services.ts), both found or built first and thrown away afterwards; returns
# COMMAND's status. The command sees TEMPORAL_ADDRESS and REDIS_URL, and TEMPORAL_CLI/REDIS_SERVER for
# tests that start servers of their own.
# The one payload key of every test and recording (the hub refuses to start without one): the harnesses
# (test/support/services.ts) and every worker or gateway process a test starts read it. Not a secret: test data only.
HUB_TEST_PAYLOAD_KEYS="test:Yml0YnlsYXctaHViLXRlc3QtcGF5bG9hZC1rZXktMDE="

with_private_services() {
  local label=$1
  shift
  local temporal_cli redis_server dir status=0
  temporal_cli=$(ensure_temporal_cli) || return 1
  redis_server=$(ensure_redis_server) || return 1
  dir=$(mktemp -d "${TMPDIR:-/tmp}/hub-$label.XXXXXX")
  TEMPORAL_CLI="$temporal_cli" REDIS_SERVER="$redis_server" \
    node --import tsx scripts/lib/private-services.ts --dir "$dir" --label "$label" -- "$@" || status=$?
  rm -rf "$dir"
  return "$status"
}


# The Temporal server version of temporal-docker/docker-compose.yml (temporalio/auto-setup), for the production-like
# tests on PostgreSQL (scripts/production-temporal.sh). test/deploy/production-parity.test.ts keeps the two equal.
TEMPORAL_SERVER_VERSION="v1.29.1"

# Prints a directory holding what a production-like Temporal needs, all from one module version: bin/server,
# bin/sql (the schema tool), schema/postgresql/v12/{temporal,visibility} and config/development-postgres12.yaml
# (the config template). Built once with go install into the cache (a few minutes), like the CLI.
ensure_temporal_server() {
  if [ -n "${HUB_TEMPORAL_SERVER_DIR:-}" ] && [ -x "$HUB_TEMPORAL_SERVER_DIR/bin/server" ]; then
    echo "$HUB_TEMPORAL_SERVER_DIR"
    return 0
  fi
  local dir="$HUB_CACHE_DIR/server-${TEMPORAL_SERVER_VERSION#v}"
  if [ -x "$dir/bin/server" ] && [ -x "$dir/bin/sql" ] && [ -f "$dir/config/development-postgres12.yaml" ] &&
    [ -d "$dir/schema/postgresql/v12/temporal" ]; then
    echo "$dir"
    return 0
  fi
  if ! command -v go >/dev/null 2>&1; then
    log "the Temporal server $TEMPORAL_SERVER_VERSION is missing and Go is not installed to build it."
    log "install Go (https://go.dev/dl), then run this again."
    return 1
  fi
  mkdir -p "$dir/bin"
  # One build at a time: a second caller waits for the first and then finds the binaries.
  exec 8>"$HUB_CACHE_DIR/temporal-server-build.lock"
  flock 8
  local module="go.temporal.io/server@$TEMPORAL_SERVER_VERSION"
  if [ ! -x "$dir/bin/server" ] || [ ! -x "$dir/bin/sql" ]; then
    log "building the Temporal server $TEMPORAL_SERVER_VERSION and its sql tool with go install (once; a few minutes)..."
    local started=$SECONDS
    ( while sleep 30; do log "  still building the Temporal server ($((SECONDS - started)) s)..."; done ) &
    local ticker=$!
    if ! GOBIN="$dir/bin" GOFLAGS=-mod=mod go install "go.temporal.io/server/cmd/server@$TEMPORAL_SERVER_VERSION" \
      "go.temporal.io/server/cmd/tools/sql@$TEMPORAL_SERVER_VERSION" >&2; then
      kill "$ticker" 2>/dev/null
      flock -u 8
      log "building the Temporal server failed (see above)."
      return 1
    fi
    kill "$ticker" 2>/dev/null
    log "Temporal server built in $((SECONDS - started)) s: $dir/bin"
  fi
  # The schemas and the config template of the same module version, copied next to the binaries so a later run
  # needs neither the Go module cache nor the network.
  if [ ! -f "$dir/config/development-postgres12.yaml" ] || [ ! -d "$dir/schema/postgresql/v12/temporal" ]; then
    local src
    src=$(cd "$dir" && GOFLAGS=-mod=mod go mod download -json "$module" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
    if [ -z "$src" ] || [ ! -d "$src/schema/postgresql/v12" ]; then
      flock -u 8
      log "could not find the module $module in the Go module cache (go mod download -json $module)."
      return 1
    fi
    mkdir -p "$dir/schema/postgresql" "$dir/config"
    cp -R "$src/schema/postgresql/v12" "$dir/schema/postgresql/"
    cp "$src/config/development-postgres12.yaml" "$dir/config/"
    chmod -R u+w "$dir/schema" "$dir/config"
  fi
  flock -u 8
  echo "$dir"
}
