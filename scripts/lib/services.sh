# Sourced by test.sh and bench scripts: private, throw-away Temporal and Redis servers on free
# ports, so tests never touch (or depend on) services that happen to run on this machine.

free_port() {
  node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"
}

# start_temporal_dev CLI LOGFILE -> exports TEMPORAL_ADDRESS, sets TEMPORAL_PID
start_temporal_dev() {
  local cli=$1 logfile=$2 port
  port=$(free_port)
  local sa_flags=()
  while read -r attr; do [ -n "$attr" ] && sa_flags+=(--search-attribute "$attr"); done < <(node -e "
    for (const [k, v] of Object.entries(require('./config/search-attributes.json'))) console.log(k + '=' + v)")
  "$cli" server start-dev --headless --ip 127.0.0.1 --port "$port" --log-level warn "${sa_flags[@]}" >"$logfile" 2>&1 &
  TEMPORAL_PID=$!
  export TEMPORAL_ADDRESS="127.0.0.1:$port"
  for _ in $(seq 1 120); do
    if "$cli" operator cluster health --address "$TEMPORAL_ADDRESS" >/dev/null 2>&1; then return 0; fi
    if ! kill -0 "$TEMPORAL_PID" 2>/dev/null; then cat "$logfile" >&2; return 1; fi
    sleep 0.5
  done
  echo "Temporal dev server did not become healthy on $TEMPORAL_ADDRESS" >&2
  return 1
}

# start_private_redis SERVER_BIN DIR -> exports REDIS_URL, sets REDIS_PID
start_private_redis() {
  local bin=$1 dir=$2 port
  port=$(free_port)
  mkdir -p "$dir"
  "$bin" --port "$port" --bind 127.0.0.1 --save '' --appendonly no --dir "$dir" >"$dir/redis.log" 2>&1 &
  REDIS_PID=$!
  export REDIS_URL="redis://127.0.0.1:$port"
  for _ in $(seq 1 50); do
    if node -e "require('net').connect($port,'127.0.0.1').on('connect',()=>process.exit(0)).on('error',()=>process.exit(1))"; then return 0; fi
    sleep 0.1
  done
  echo "redis-server did not start on port $port" >&2
  return 1
}
