#!/usr/bin/env bash
# The database side of a production-like Temporal server (temporal-server on PostgreSQL, the version of
# temporal-docker/docker-compose.yml). The server process itself, its config, the namespace and the search
# attributes are scripts/lib/production-temporal.ts, which calls this script.
#
#   scripts/production-temporal.sh tools               build or find the server, print its directory (bin/, schema/, config/)
#   scripts/production-temporal.sh check               exit 0 when PostgreSQL answers, else print why on stderr and exit 1
#   scripts/production-temporal.sh create PREFIX       create PREFIX_temporal and PREFIX_visibility with their schemas
#   scripts/production-temporal.sh drop PREFIX         drop both databases (after closing their connections)
#   scripts/production-temporal.sh terminate PREFIX    close every connection to PREFIX* (a PostgreSQL restart, as the server sees it)
#
# PG_URL (default postgres://postgres@127.0.0.1:5432/postgres) names the PostgreSQL server and a user allowed to
# create databases. Needs psql (Debian: postgresql-client).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib/tools.sh

PG_URL="${PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}"

# postgres://user[:password]@host[:port][/database] into the sql tool's variables.
parse_pg_url() {
  local re='^postgres(ql)?://([^:@/]+)(:([^@/]*))?@([^:/]+)(:([0-9]+))?(/.*)?$'
  if [[ ! "$PG_URL" =~ $re ]]; then
    log "PG_URL must look like postgres://user[:password]@host[:port][/database], got: $PG_URL"
    return 1
  fi
  export SQL_USER="${BASH_REMATCH[2]}" SQL_PASSWORD="${BASH_REMATCH[4]}" SQL_HOST="${BASH_REMATCH[5]}"
  export SQL_PORT="${BASH_REMATCH[7]:-5432}" SQL_PLUGIN=postgres12
}

# Prefixes become database names and go into SQL: letters, digits and underscores only.
check_prefix() {
  if [[ ! "${1:-}" =~ ^[a-z][a-z0-9_]{2,40}$ ]]; then
    log "PREFIX must be lower-case letters, digits and underscores (3-41 characters), got: ${1:-<none>}"
    exit 2
  fi
}

psql_admin() { psql "$PG_URL" -v ON_ERROR_STOP=1 -qAtX "$@"; }

case "${1:-}" in
  tools)
    ensure_temporal_server
    ;;
  check)
    if ! command -v psql >/dev/null 2>&1; then
      log "psql is not installed (Debian: apt-get install postgresql-client); it is needed to reach PostgreSQL at $PG_URL"
      exit 1
    fi
    if ! out=$(psql "$PG_URL" -qAtX -c 'select 1' 2>&1); then
      log "PostgreSQL does not answer at $PG_URL (set PG_URL): $out"
      exit 1
    fi
    ;;
  create)
    check_prefix "${2:-}"
    parse_pg_url
    dir=$(ensure_temporal_server)
    for part in temporal visibility; do
      db="${2}_$part"
      "$dir/bin/sql" --database "$db" create-database >&2
      "$dir/bin/sql" --database "$db" setup-schema -v 0.0 >&2
      # update-schema applies every versioned step to the module's latest, as auto-setup does.
      "$dir/bin/sql" --database "$db" update-schema -d "$dir/schema/postgresql/v12/$part/versioned" >&2
    done
    ;;
  drop)
    check_prefix "${2:-}"
    for part in temporal visibility; do
      psql_admin -c "select pg_terminate_backend(pid) from pg_stat_activity where datname = '${2}_$part'" >/dev/null
      psql_admin -c "drop database if exists \"${2}_$part\"" >/dev/null
    done
    ;;
  terminate)
    check_prefix "${2:-}"
    # Prints how many connections were closed.
    psql_admin -c "select count(pg_terminate_backend(pid)) from pg_stat_activity where datname like '${2}\\_%'"
    ;;
  *)
    sed -n '2,14p' "$0" >&2
    exit 2
    ;;
esac
