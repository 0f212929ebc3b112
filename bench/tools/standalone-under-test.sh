# Sourced by the standalone CPU tools (cpu-per-execution.sh, cpu-per-execution-sequential.sh), not run:
# starts the BUILT standalone of this checkout on a free port with a fresh data dir (embedded Postgres,
# fsync on), deploys the side-by-side flows, and stops what it started by PID on exit.
# Needs ROOT and SERVER_NODE_OPTIONS; sets HARNESS, DATA, PORT, TOKEN, KEY and PID.
HARNESS=${HARNESS:-/work/shared/peers/side-by-side}
DATA=$(mktemp -d /tmp/cpu-bench.XXXXXX)
PORT=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
TOKEN=cpu-bench-admin-token-0123456789abcdef
KEY=cpubenchkey0123456789
cleanup() {
  if [ -n "${PID:-}" ] && kill -0 "$PID" 2>/dev/null; then
    kill -TERM "$PID"; for _ in $(seq 1 60); do kill -0 "$PID" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$PID" 2>/dev/null && kill -KILL "$PID" || true
  fi
  local pg; pg=$(cat "$DATA/d/postgres/postgres.pid" 2>/dev/null | head -1 | tr -dc '0-9' || true)
  if [ -n "$pg" ] && kill -0 "$pg" 2>/dev/null; then kill -INT "$pg"; sleep 3; fi
  # SERVER_LOG_OUT=FILE keeps the server's log (its warnings say why a run went wrong).
  if [ -n "${SERVER_LOG_OUT:-}" ]; then cp "$DATA/server.log" "$SERVER_LOG_OUT" 2>/dev/null || true; fi
  rm -rf "$DATA"
}
trap cleanup EXIT
(cd "$ROOT" && exec env -u KAFKA_BROKERS -u DATABASE_URL -u EVENTSTORE_URL CHRONICLE_TOKENS="ADMIN=$TOKEN" CHRONICLE_LOG_LEVEL=warn \
  CHRONICLE_WEBHOOK_RATE_PER_SECOND=1000000 CHRONICLE_WEBHOOK_WAIT_TIMEOUT_MS=30000 CHRONICLE_LOCAL_TASKS=true \
  PORT="$PORT" CHRONICLE_DATA_DIR="$DATA/d" node $SERVER_NODE_OPTIONS apps/standalone/dist/main.js) > "$DATA/server.log" 2>&1 &
PID=$!
for _ in $(seq 1 600); do grep -q 'listening on' "$DATA/server.log" 2>/dev/null && break; kill -0 "$PID" || { cat "$DATA/server.log"; exit 1; }; sleep 0.5; done
node "$HARNESS/chronicle-deploy.mjs" "http://127.0.0.1:$PORT" "$TOKEN" "$KEY" 40 > /dev/null
