#!/usr/bin/env bash
# CPU time per execution of the standalone webhook `?wait=true` path (benchmark01), not a test.
# Starts the BUILT standalone of this checkout (npm run build first) on a free port with a fresh data
# dir (embedded Postgres, fsync on), deploys the side-by-side flows, runs the side-by-side load
# generator open loop at RATE/min, and prints the CPU seconds of the whole process tree (node and
# its Postgres) per execution. Stops what it started by PID.
#   bash bench/tools/cpu-per-execution.sh [RATE=900] [SECONDS=60] [NODE_OPTIONS for the server, e.g. --cpu-prof]
set -euo pipefail
RATE=${1:-900}
DURATION=${2:-60}
SERVER_NODE_OPTIONS=${3:-}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
HARNESS=${HARNESS:-/work/shared/peers/side-by-side}
DATA=$(mktemp -d /tmp/cpe.XXXXXX)
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
  rm -rf "$DATA"
}
trap cleanup EXIT
(cd "$ROOT" && exec env -u KAFKA_BROKERS -u DATABASE_URL -u EVENTSTORE_URL CHRONICLE_TOKENS="ADMIN=$TOKEN" CHRONICLE_LOG_LEVEL=warn \
  CHRONICLE_WEBHOOK_RATE_PER_SECOND=1000000 CHRONICLE_WEBHOOK_WAIT_TIMEOUT_MS=30000 CHRONICLE_LOCAL_TASKS=true \
  PORT="$PORT" CHRONICLE_DATA_DIR="$DATA/d" node $SERVER_NODE_OPTIONS apps/standalone/dist/main.js) > "$DATA/server.log" 2>&1 &
PID=$!
for _ in $(seq 1 600); do grep -q 'listening on' "$DATA/server.log" 2>/dev/null && break; kill -0 "$PID" || { cat "$DATA/server.log"; exit 1; }; sleep 0.5; done
node "$HARNESS/chronicle-deploy.mjs" "http://127.0.0.1:$PORT" "$TOKEN" "$KEY" 40 > /dev/null
OUT=$DATA/load.json
# CPU ticks of node alone and of its whole tree (node + Postgres), over the whole load run: the split of the cost.
ticks() { node -e '
const fs = require("fs"); const root = +process.argv[1];
const stat = (p) => { try { const s = fs.readFileSync(`/proc/${p}/stat`, "utf8"); const f = s.slice(s.lastIndexOf(")") + 2).split(" "); return { ppid: +f[1], t: +f[11] + +f[12], sys: +f[12] }; } catch { return null; } };
const kids = new Map(); for (const d of fs.readdirSync("/proc")) { if (!/^\d+$/.test(d)) continue; const st = stat(d); if (st) (kids.get(st.ppid) ?? kids.set(st.ppid, []).get(st.ppid)).push(+d); }
const all = [root]; for (let i = 0; i < all.length; i++) all.push(...(kids.get(all[i]) ?? []));
console.log(stat(root).t, all.reduce((a, p) => a + (stat(p)?.t ?? 0), 0), stat(root).sys);' "$PID"; }
TICKS0=$(ticks)
node "$HARNESS/loadgen.mjs" --system chronicle-standalone --target http --check chronicle \
  --url "http://127.0.0.1:$PORT/api/v1/executions/webhook/benchmarks/benchmark01/$KEY?wait=true" \
  --idle 50 --rates "$RATE" --warmup 10 --duration "$DURATION" --cooldown 2 --timeout 30 --pids "$PID" --out "$OUT" > "$DATA/loadgen.log" 2>&1 || { cat "$DATA/loadgen.log"; exit 1; }
TICKS1=$(ticks)
node -e '
const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const [n0, t0, s0] = process.argv[2].split(" ").map(Number), [n1, t1, s1] = process.argv[3].split(" ").map(Number);
const step = (r.steps ?? r.open_loop ?? [])[0] ?? r;
const cores = step.sut_cpu_cores, done = step.achieved_rpm;
console.log(JSON.stringify({ rate: step.offered_rpm, achieved_rpm: done, p50_ms: step.p50_ms, p99_ms: step.p99_ms, errors: step.errors, error_kinds: step.error_kinds, sut_cpu_cores: cores,
  other_load_cores: step.other_load_cores, ms_cpu_per_execution: Math.round((cores * 60000 / done) * 100) / 100, idle_p50_ms: r.idle?.p50_ms,
  node_share_of_tree_cpu: Math.round(((n1 - n0) / (t1 - t0)) * 100) / 100, kernel_share_of_node_cpu: Math.round(((s1 - s0) / (n1 - n0)) * 100) / 100 }));
' "$OUT" "$TICKS0" "$TICKS1"
