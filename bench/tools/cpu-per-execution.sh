#!/usr/bin/env bash
# CPU time per execution (the whole tree, node, node's main thread) of the standalone webhook `?wait=true` path (benchmark01), not a test.
# Starts the BUILT standalone of this checkout (npm run build first) on a free port with a fresh data
# dir (embedded Postgres, fsync on), deploys the side-by-side flows, runs the side-by-side load
# generator open loop at RATE/min, and prints the CPU seconds of the whole process tree (node and
# its Postgres) per execution. Stops what it started by PID.
#   bash bench/tools/cpu-per-execution.sh [RATE=900] [SECONDS=60] [NODE_OPTIONS for the server, e.g. --cpu-prof]
set -euo pipefail
RATE=${1:-900}
DURATION=${2:-60}
SERVER_NODE_OPTIONS=${3:-}
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
source "$ROOT/bench/tools/standalone-under-test.sh"
OUT=$DATA/load.json
# CPU ticks of node alone and of its whole tree (node + Postgres), over the whole load run: the split of the cost.
ticks() { node -e '
const fs = require("fs"); const root = +process.argv[1];
const stat = (p) => { try { const s = fs.readFileSync(`/proc/${p}/stat`, "utf8"); const f = s.slice(s.lastIndexOf(")") + 2).split(" "); return { ppid: +f[1], t: +f[11] + +f[12], sys: +f[12] }; } catch { return null; } };
const kids = new Map(); for (const d of fs.readdirSync("/proc")) { if (!/^\d+$/.test(d)) continue; const st = stat(d); if (st) (kids.get(st.ppid) ?? kids.set(st.ppid, []).get(st.ppid)).push(+d); }
const all = [root]; for (let i = 0; i < all.length; i++) all.push(...(kids.get(all[i]) ?? []));
// The main thread alone (its task id is the pid): the event loop that serves the requests.
const main = (() => { try { const s = fs.readFileSync(`/proc/${root}/task/${root}/stat`, "utf8"); const f = s.slice(s.lastIndexOf(")") + 2).split(" "); return +f[11] + +f[12]; } catch { return 0; } })();
console.log(stat(root).t, all.reduce((a, p) => a + (stat(p)?.t ?? 0), 0), stat(root).sys, main);' "$PID"; }
TICKS0=$(ticks)
node "$HARNESS/loadgen.mjs" --system chronicle-standalone --target http --check chronicle \
  --url "http://127.0.0.1:$PORT/api/v1/executions/webhook/benchmarks/benchmark01/$KEY?wait=true" \
  --idle 50 --rates "$RATE" --warmup 10 --duration "$DURATION" --cooldown 2 --timeout 30 --pids "$PID" --out "$OUT" > "$DATA/loadgen.log" 2>&1 || { cat "$DATA/loadgen.log"; exit 1; }
TICKS1=$(ticks)
node -e '
const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const [n0, t0, s0, m0] = process.argv[2].split(" ").map(Number), [n1, t1, s1, m1] = process.argv[3].split(" ").map(Number);
const step = (r.steps ?? r.open_loop ?? [])[0] ?? r;
const cores = step.sut_cpu_cores, done = step.achieved_rpm;
console.log(JSON.stringify({ rate: step.offered_rpm, achieved_rpm: done, p50_ms: step.p50_ms, p99_ms: step.p99_ms, errors: step.errors, error_kinds: step.error_kinds, sut_cpu_cores: cores,
  other_load_cores: step.other_load_cores, ms_cpu_per_execution: Math.round((cores * 60000 / done) * 100) / 100, idle_p50_ms: r.idle?.p50_ms,
  node_share_of_tree_cpu: Math.round(((n1 - n0) / (t1 - t0)) * 100) / 100, kernel_share_of_node_cpu: Math.round(((s1 - s0) / (n1 - n0)) * 100) / 100,
  main_thread_share_of_node_cpu: Math.round(((m1 - m0) / (n1 - n0)) * 100) / 100,
  // CPU per execution of the main thread (the request loop): the loaded window figure times the run shares.
  main_thread_ms_cpu_per_execution: Math.round((cores * 60000 / done) * ((n1 - n0) / (t1 - t0)) * ((m1 - m0) / (n1 - n0)) * 100) / 100 }));
' "$OUT" "$TICKS0" "$TICKS1"
