#!/bin/sh
# Registers the hub's custom search attributes (config/search-attributes.json, a flat
# {"Name": "Type"} object) on the Temporal server with the `temporal` CLI.
# Idempotent: attributes already registered with the same type are left alone, so it runs
# on every `docker compose up` (service temporal-admin-tools). An attribute that exists with
# another type is an error: fix it by hand, Temporal cannot change a type in place.
#
# Environment: TEMPORAL_ADDRESS (read by the CLI), TEMPORAL_NAMESPACE (default: default),
# SEARCH_ATTRIBUTES_FILE, WAIT_SECONDS (how long to wait for the server, default 180).
set -eu

file="${SEARCH_ATTRIBUTES_FILE:-/etc/hub/search-attributes.json}"
namespace="${TEMPORAL_NAMESPACE:-default}"
wait_seconds="${WAIT_SECONDS:-180}"

log() { echo "[search-attributes] $*" >&2; }

# One "Name Type" line per attribute of the flat JSON object.
pairs=$(tr -d '\r\n' <"$file" | tr '{},' '\n\n\n' |
  sed -n 's/^[[:space:]]*"\([A-Za-z_][A-Za-z0-9_]*\)"[[:space:]]*:[[:space:]]*"\([A-Za-z]*\)"[[:space:]]*$/\1 \2/p')
if [ -z "$pairs" ]; then
  log "no attributes found in $file"
  exit 1
fi

# wait_for <what> <command...>: retries the command until it succeeds or WAIT_SECONDS pass.
wait_for() {
  what=$1
  shift
  waited=0
  until "$@" >/dev/null 2>&1; do
    if [ "$waited" -ge "$wait_seconds" ]; then
      log "gave up after ${wait_seconds}s waiting for $what"
      exit 1
    fi
    sleep 2
    waited=$((waited + 2))
  done
}

wait_for "the Temporal frontend at ${TEMPORAL_ADDRESS:-127.0.0.1:7233}" temporal operator cluster health
# auto-setup creates the namespace shortly after the frontend comes up.
wait_for "namespace $namespace" temporal operator namespace describe --namespace "$namespace"

existing=$(temporal operator search-attribute list --namespace "$namespace")

echo "$pairs" | while read -r name type; do
  line=$(printf '%s\n' "$existing" | grep -w -- "$name" | head -n 1 || true)
  if [ -z "$line" ]; then
    temporal operator search-attribute create --namespace "$namespace" --name "$name" --type "$type" >/dev/null
    log "$name registered ($type)"
  elif printf '%s\n' "$line" | grep -qi -- "$type"; then
    log "$name already registered ($type)"
  else
    log "$name already exists with another type: $line (wanted $type)"
    exit 1
  fi
done

log "all $(echo "$pairs" | wc -l | tr -d ' ') attributes registered in namespace $namespace"
