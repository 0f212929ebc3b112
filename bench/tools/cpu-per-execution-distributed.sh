#!/usr/bin/env bash
# CPU time per execution of the DISTRIBUTED mode (benchmark01 through the gateway's webhook
# `?wait=true`), per process, not a test. Started as the side-by-side harness starts
# chronicle-distributed: its own Kafka (scripts/kafka.ts) and Postgres (scripts/distributed.ts,
# fsync on) on free ports in a fresh temp dir, then projection, 1 executor, scheduler and gateway from
# the BUILD of this checkout (npm run build first). Then:
#   1. idle CPU: every process's CPU seconds over IDLE_CPU_S with no traffic (what polls or spins);
#   2. idle latency: SEQ_N sequential calls (the harness's load generator), and every process's CPU
#      per execution over them, the idle rate taken off (one execution at a time: nothing batches, so
#      this is the per-execution cost that only hops and requests make, whatever the machine's load);
#   3. one open-loop step at RATE/min: the load generator's total (sut_cpu_cores, measured window),
#      and the per-process split over the whole step (warm-up + measured window + drain).
# Prints one JSON line. Stops what it started by PID (the services and Postgres through the
# launcher's SIGTERM, Kafka through its PID file).
#   bash bench/tools/cpu-per-execution-distributed.sh [RATE=3000] [SECONDS=30]
# Env: IDLE_CPU_S (30), EXECUTORS (1), PROFILE_DIR (each service writes a --cpu-prof there when it
# stops; phases.json there gives the load window in the profiles' clock, for `--window`),
# COUNT_REQUESTS=1 (count Kafka requests by API and Postgres queries, per service, idle per second and
# per execution under load: bench/tools/count-requests.cjs; with CHRONICLE_COUNT_SQL=1 also by statement text), CHRONICLE_PG_FAST (false),
# HARNESS (/work/shared/peers/side-by-side), KEEP=1 keeps the data dir, SHARED_KAFKA=host:port uses
# that running broker instead of starting one (topics and groups under a prefix of their own; the
# broker is then not counted: its CPU serves everyone's topics).
set -euo pipefail
RATE=${1:-3000}
DURATION=${2:-30}
IDLE_CPU_S=${IDLE_CPU_S:-30}
SEQ_N=${SEQ_N:-200}
EXECUTORS=${EXECUTORS:-1}
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
# The measuring tools are this checkout's, whichever ROOT is measured (the same counters for base and branch).
TOOLS=$(cd "$(dirname "$0")" && pwd)
HARNESS=${HARNESS:-/work/shared/peers/side-by-side}
DATA=$(mktemp -d /tmp/cped.XXXXXX)
freeport() { node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})'; }
PORT=$(freeport)
KPORT=$(freeport)
TOKEN=cpu-bench-admin-token-0123456789abcdef
KEY=cpubenchkey0123456789
KAFKA_STARTED=
cleanup() {
  if [ -n "${PID:-}" ] && kill -0 "$PID" 2>/dev/null; then
    kill -TERM "$PID"; for _ in $(seq 1 120); do kill -0 "$PID" 2>/dev/null || break; sleep 0.5; done
    kill -0 "$PID" 2>/dev/null && kill -KILL "$PID" || true
  fi
  if [ -n "$KAFKA_STARTED" ]; then
    (cd "$ROOT" && node --import tsx --conditions=@chronicle/source scripts/kafka.ts stop --data-dir "$DATA/k") > /dev/null 2>&1 || true
  fi
  [ -n "${KEEP:-}" ] && echo "kept $DATA" >&2 || rm -rf "$DATA"
}
trap cleanup EXIT

if [ -n "${SHARED_KAFKA:-}" ]; then
  BROKERS=$SHARED_KAFKA
  export CHRONICLE_TOPIC_PREFIX="cpu-bench-$(basename "$DATA" | tr -dc 'a-zA-Z0-9')"
  PIDS_OF() { echo "$PID"; }
else
  (cd "$ROOT" && timeout --foreground 300 node --import tsx --conditions=@chronicle/source scripts/kafka.ts start --port "$KPORT" --data-dir "$DATA/k") > "$DATA/kafka-start.log" 2>&1 \
    || { cat "$DATA/kafka-start.log"; exit 1; }
  KAFKA_STARTED=1
  KPID=$(sed -n 's/^pid=//p' "$DATA/kafka-start.log")
  BROKERS=127.0.0.1:$KPORT
  PIDS_OF() { echo "$KPID,$PID"; }
fi
FAST=(); [ "${CHRONICLE_PG_FAST:-false}" = true ] && FAST=(--fast)
PROFILE=(); [ -n "${PROFILE_DIR:-}" ] && PROFILE=(CHRONICLE_PROFILE_DIR="$PROFILE_DIR")
COUNTS=$DATA/counts; mkdir -p "$COUNTS"
[ -n "${COUNT_REQUESTS:-}" ] && PROFILE+=(NODE_OPTIONS="--require $TOOLS/count-requests.cjs" CHRONICLE_COUNT_DIR="$COUNTS")
# The counters' running totals per service, merged ({} without COUNT_REQUESTS).
snapshot() { sleep 1.2; node -e '
const fs = require("fs"), dir = process.argv[1], out = {};
for (const f of fs.readdirSync(dir).filter((f) => f.endsWith(".json"))) { const app = f.split("-")[0]; const c = JSON.parse(fs.readFileSync(dir + "/" + f, "utf8"));
  const a = (out[app] ??= {}); for (const [k, v] of Object.entries({ ...c.kafka, ...c.pg, ...Object.fromEntries(Object.entries(c.sql ?? {}).map(([t, n]) => ["sql: " + t, n])) })) a[k] = (a[k] ?? 0) + v; }
console.log(JSON.stringify(out));' "$COUNTS"; }
monotonic_us() { node -e 'console.log(String(process.hrtime.bigint() / 1000n))'; }
(cd "$ROOT" && exec env -u DATABASE_URL -u EVENTSTORE_URL "${PROFILE[@]}" CHRONICLE_TOKENS="ADMIN=$TOKEN" CHRONICLE_LOG_LEVEL=warn \
  CHRONICLE_WEBHOOK_RATE_PER_SECOND=1000000 CHRONICLE_WEBHOOK_WAIT_TIMEOUT_MS=30000 CHRONICLE_LOCAL_TASKS=true \
  KAFKA_BROKERS="$BROKERS" node --import tsx --conditions=@chronicle/source scripts/distributed.ts \
  --port "$PORT" --data-dir "$DATA/s" --executors "$EXECUTORS" "${FAST[@]}") > "$DATA/server.log" 2>&1 &
PID=$!
for _ in $(seq 1 600); do grep -q 'Chronicle (distributed) on' "$DATA/server.log" 2>/dev/null && break; kill -0 "$PID" || { cat "$DATA/server.log"; exit 1; }; sleep 0.5; done
node "$HARNESS/chronicle-deploy.mjs" "http://127.0.0.1:$PORT" "$TOKEN" "$KEY" 40 > /dev/null
URL="http://127.0.0.1:$PORT/api/v1/executions/webhook/benchmarks/benchmark01/$KEY?wait=true"
curl -fs --max-time 30 -X POST -H 'content-type: application/json' -d '{"name":"x"}' "$URL" > /dev/null
sleep 10
C0=$(snapshot)
IDLE_CPU=$(node "$TOOLS/process-cpu.mjs" "$(PIDS_OF)" "$IDLE_CPU_S")
C1=$(snapshot)
node "$TOOLS/process-cpu.mjs" "$(PIDS_OF)" > "$DATA/seq-cpu.json" &
SAMPLER=$!
node "$HARNESS/loadgen.mjs" --system chronicle-distributed --target http --check chronicle --url "$URL" \
  --idle "$SEQ_N" --rates '' --timeout 30 --out "$DATA/idle.json" > "$DATA/loadgen-idle.log" 2>&1 || { cat "$DATA/loadgen-idle.log"; exit 1; }
kill -TERM "$SAMPLER"; wait "$SAMPLER" || true
C1B=$(snapshot)
C2=$(snapshot)
LOAD_FROM=$(monotonic_us)
node "$TOOLS/process-cpu.mjs" "$(PIDS_OF)" > "$DATA/load-cpu.json" &
SAMPLER=$!
node "$HARNESS/loadgen.mjs" --system chronicle-distributed --target http --check chronicle --url "$URL" \
  --idle 0 --rates "$RATE" --warmup 5 --duration "$DURATION" --cooldown 0 --timeout 30 --pids "$(PIDS_OF)" --out "$DATA/load.json" > "$DATA/loadgen.log" 2>&1 || { cat "$DATA/loadgen.log"; exit 1; }
kill -TERM "$SAMPLER"; wait "$SAMPLER" || true
LOAD_TO=$(monotonic_us)
C3=$(snapshot)
[ -n "${PROFILE_DIR:-}" ] && echo "{\"load_from_us\":$LOAD_FROM,\"load_to_us\":$LOAD_TO}" > "$PROFILE_DIR/phases.json"
echo "{\"c0\":$C0,\"c1\":$C1,\"c1b\":$C1B,\"c2\":$C2,\"c3\":$C3}" > "$DATA/counts.json"
node -e '
const fs = require("fs");
const [idleCpu, idleFile, loadFile, loadCpuFile, countsFile, idleS, sent, seqCpuFile, seqN] = process.argv.slice(1);
const seq = JSON.parse(fs.readFileSync(seqCpuFile, "utf8").trim());
const c = JSON.parse(fs.readFileSync(countsFile, "utf8"));
const delta = (a, b) => Object.fromEntries(Object.keys(b).map((app) => [app, Object.fromEntries(Object.keys(b[app]).map((k) => [k, b[app][k] - (a[app]?.[k] ?? 0)]))]));
// What the load added: the idle rate over the load window taken off.
const minusIdle = (d, idle, times) => Object.fromEntries(Object.entries(d).map(([app, ks]) => [app, Object.fromEntries(Object.entries(ks).map(([k, v]) => [k, v - (idle[app]?.[k] ?? 0) * times]))]));
const scaled = (d, by) => Object.fromEntries(Object.entries(d).map(([app, ks]) => [app, Object.fromEntries(Object.entries(ks).filter(([, v]) => v).map(([k, v]) => [k, Math.round((v / by) * 100) / 100]))]));
const idle = JSON.parse(idleCpu), lat = JSON.parse(fs.readFileSync(idleFile, "utf8")), r = JSON.parse(fs.readFileSync(loadFile, "utf8"));
const load = JSON.parse(fs.readFileSync(loadCpuFile, "utf8").trim());
const step = r.steps[0];
const perRole = (w) => Object.fromEntries(Object.entries(w.cpu_s).map(([k, v]) => [k, Math.round((v / w.window_s) * 1000) / 1000]));
console.log(JSON.stringify({
  rate: step.offered_rpm, achieved_rpm: step.achieved_rpm, p50_ms: step.p50_ms, p99_ms: step.p99_ms, errors: step.errors, error_kinds: step.error_kinds,
  sut_cpu_cores: step.sut_cpu_cores, other_load_cores: step.other_load_cores,
  ms_cpu_per_execution: Math.round((step.sut_cpu_cores * 60000 / step.achieved_rpm) * 100) / 100,
  idle_p50_ms: lat.idle?.p50_ms, idle_cores: idle.cores, idle_cores_by_process: perRole(idle),
  sequential_ms_cpu_per_execution: Math.round(((seq.total_cpu_s - idle.cores * seq.window_s) / Number(seqN)) * 1e4) / 10,
  sequential_ms_cpu_per_execution_by_process: Object.fromEntries(Object.entries(seq.cpu_s).map(([k, v]) => [k, Math.round(((v - (idle.cpu_s[k] ?? 0) / idle.window_s * seq.window_s) / Number(seqN)) * 1e4) / 10])),
  load_cores_by_process: perRole(load), load_window_s: load.window_s,
  ...(Object.keys(c.c3).length ? { idle_requests_per_s: scaled(delta(c.c0, c.c1), Number(idleS)),
    sequential_requests_per_execution: scaled(minusIdle(delta(c.c1, c.c1b), delta(c.c0, c.c1), seq.window_s / Number(idleS)), Number(seqN)), load_requests_per_execution: scaled(minusIdle(delta(c.c2, c.c3), delta(c.c0, c.c1), load.window_s / Number(idleS)), Number(sent)) } : {}),
}));
' "$IDLE_CPU" "$DATA/idle.json" "$DATA/load.json" "$DATA/load-cpu.json" "$DATA/counts.json" "$IDLE_CPU_S" "$(( RATE * (5 + DURATION) / 60 ))" "$DATA/seq-cpu.json" "$(( SEQ_N + 5 ))"
