#!/usr/bin/env bash
# Memory soak of the webhook `?wait=true` path (benchmark01), not a test.
# Starts the BUILT standalone of this checkout (npm run build first) on a free port with a fresh data
# dir (embedded Postgres, fsync on) — or with MODE=distributed the four services (scripts/distributed.ts,
# one executor, its own Postgres, on the broker of CHRONICLE_TEST_KAFKA_BROKERS with a fresh topic
# prefix: the broker is shared and not counted) — deploys the side-by-side flows, runs the side-by-side load
# generator open loop at RATE/min for MINUTES, and samples every EVERY seconds the RSS and PSS of
# every process of the system (node, the postmaster and each backend), the V8 heap (/metrics) and
# how many Postgres backends are open. Prints a summary (first, settled after a fifth, end, peak,
# growth) and keeps the samples (JSON lines) in OUT_DIR. Stops what it started by PID.
#   bash bench/tools/memory-soak.sh [RATE=3000] [MINUTES=10] [EVERY=5]
# Environment: any CHRONICLE_* setting is passed to the server (e.g. CHRONICLE_PG_POOL_SIZE=4);
#   SERVER_NODE_OPTIONS (e.g. --max-old-space-size=512); HEAP_SNAPSHOTS=1 writes a V8 heap snapshot
#   of the server after a fifth of the run and at its end into OUT_DIR (--heapsnapshot-signal; it
#   pauses the server for a second or two each).
set -euo pipefail
RATE=${1:-3000}
MINUTES=${2:-10}
EVERY=${3:-5}
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
HARNESS=${HARNESS:-/work/shared/peers/side-by-side}
OUT_DIR=${OUT_DIR:-$ROOT/tmp/memory-soak/$(date -u +%Y%m%dT%H%M%S)-$RATE}
mkdir -p "$OUT_DIR"
DATA=$(mktemp -d /tmp/memsoak.XXXXXX)
PORT=$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
TOKEN=memory-soak-admin-token-0123456789abcdef
KEY=memsoakkey0123456789
SECONDS_TOTAL=$(node -e "console.log(Math.round($MINUTES*60))")
MODE=${MODE:-standalone}
[ "$MODE" = distributed ] && [ "${HEAP_SNAPSHOTS:-}" = 1 ] && { echo "HEAP_SNAPSHOTS: standalone only (SERVER_NODE_OPTIONS=--heapsnapshot-signal=SIGUSR2 and signal a service yourself)"; exit 2; }
SNAP_OPTS=""
[ "${HEAP_SNAPSHOTS:-}" = 1 ] && SNAP_OPTS="--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=$OUT_DIR"
cleanup() {
  [ -n "${SAMPLER:-}" ] && kill -0 "$SAMPLER" 2>/dev/null && kill -TERM "$SAMPLER" || true
  [ -n "${LOADGEN:-}" ] && kill -0 "$LOADGEN" 2>/dev/null && kill -TERM "$LOADGEN" || true
  if [ -n "${PID:-}" ] && kill -0 "$PID" 2>/dev/null; then
    kill -TERM "$PID"; for _ in $(seq 1 60); do kill -0 "$PID" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$PID" 2>/dev/null && kill -KILL "$PID" || true
  fi
  local pg; pg=$(cat "$DATA/d/postgres/postgres.pid" "$DATA/d/distributed/postgres/postgres.pid" 2>/dev/null | head -1 | tr -dc "0-9" || true)
  if [ -n "$pg" ] && kill -0 "$pg" 2>/dev/null; then kill -INT "$pg"; sleep 3; fi
  cp "$DATA/server.log" "$OUT_DIR/server.log" 2>/dev/null || true
  rm -rf "$DATA"
}
trap cleanup EXIT
if [ "$MODE" = distributed ]; then
  (cd "$ROOT" && exec env -u DATABASE_URL -u EVENTSTORE_URL KAFKA_BROKERS="${CHRONICLE_TEST_KAFKA_BROKERS:?distributed: set CHRONICLE_TEST_KAFKA_BROKERS to a running broker}" \
    CHRONICLE_TOPIC_PREFIX="memsoak-$(date +%s)-$$" CHRONICLE_TOKENS="ADMIN=$TOKEN" CHRONICLE_LOG_LEVEL=warn \
    CHRONICLE_WEBHOOK_RATE_PER_SECOND=1000000 CHRONICLE_WEBHOOK_WAIT_TIMEOUT_MS=30000 NODE_OPTIONS="${SERVER_NODE_OPTIONS:-}" \
    node --import tsx --conditions=@chronicle/source scripts/distributed.ts --port "$PORT" --data-dir "$DATA/d" --executors 1) > "$DATA/server.log" 2>&1 &
  PID=$!
  READY='Chronicle (distributed) on'
else
  (cd "$ROOT" && exec env -u KAFKA_BROKERS -u DATABASE_URL -u EVENTSTORE_URL CHRONICLE_TOKENS="ADMIN=$TOKEN" CHRONICLE_LOG_LEVEL=warn \
    CHRONICLE_WEBHOOK_RATE_PER_SECOND=1000000 CHRONICLE_WEBHOOK_WAIT_TIMEOUT_MS=30000 \
    PORT="$PORT" CHRONICLE_DATA_DIR="$DATA/d" node ${SERVER_NODE_OPTIONS:-} $SNAP_OPTS apps/standalone/dist/main.js) > "$DATA/server.log" 2>&1 &
  PID=$!
  READY='listening on'
fi
for _ in $(seq 1 600); do grep -q "$READY" "$DATA/server.log" 2>/dev/null && break; kill -0 "$PID" || { cat "$DATA/server.log"; exit 1; }; sleep 0.5; done
node "$HARNESS/chronicle-deploy.mjs" "http://127.0.0.1:$PORT" "$TOKEN" "$KEY" 40 > /dev/null
(cd "$ROOT" && exec node --import tsx --conditions=@chronicle/source bench/tools/memory-sampler.ts "$OUT_DIR/samples.jsonl" "$EVERY" "$((SECONDS_TOTAL + 30))" \
  "http://127.0.0.1:$PORT/metrics" "$PID") > "$OUT_DIR/summary.txt" 2>&1 &
SAMPLER=$!
node "$HARNESS/loadgen.mjs" --system "chronicle-$MODE" --target http --check chronicle \
  --url "http://127.0.0.1:$PORT/api/v1/executions/webhook/benchmarks/benchmark01/$KEY?wait=true" \
  --idle 20 --rates "$RATE" --warmup 10 --duration "$SECONDS_TOTAL" --cooldown 2 --timeout 30 --pids "$PID" --out "$OUT_DIR/load.json" > "$OUT_DIR/loadgen.log" 2>&1 &
LOADGEN=$!
if [ "${HEAP_SNAPSHOTS:-}" = 1 ]; then
  sleep $((SECONDS_TOTAL / 5 + 30)); kill -USR2 "$PID"
fi
wait "$LOADGEN" || { cat "$OUT_DIR/loadgen.log"; exit 1; }
LOADGEN=
if [ "${HEAP_SNAPSHOTS:-}" = 1 ]; then
  # The end snapshot, once the load drained: what is still retained. Written by the server's main thread; wait until its size settles.
  kill -USR2 "$PID"; last=-1
  for _ in $(seq 1 120); do
    sleep 2; newest=$(ls -t "$OUT_DIR"/*.heapsnapshot 2>/dev/null | head -1); now=$(stat -c %s "$newest" 2>/dev/null || echo 0)
    [ "$(ls "$OUT_DIR"/*.heapsnapshot 2>/dev/null | wc -l)" -ge 2 ] && [ "$now" = "$last" ] && [ "$now" != 0 ] && break; last=$now
  done
fi
kill -TERM "$SAMPLER"; wait "$SAMPLER" || true; SAMPLER=
node -e '
const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const step = (r.steps ?? r.open_loop ?? [])[0] ?? r;
console.log(JSON.stringify({ rate: step.offered_rpm, achieved_rpm: step.achieved_rpm, p50_ms: step.p50_ms, p99_ms: step.p99_ms, errors: step.errors, error_kinds: step.error_kinds,
  sut_cpu_cores: step.sut_cpu_cores, ms_cpu_per_execution: Math.round((step.sut_cpu_cores * 60000 / step.achieved_rpm) * 100) / 100, harness_peak_rss_mib: step.sut_peak_rss_mib ?? step.peak_rss_mib }));
' "$OUT_DIR/load.json" | tee -a "$OUT_DIR/summary.txt"
cat "$OUT_DIR/summary.txt"
echo "samples: $OUT_DIR/samples.jsonl"
