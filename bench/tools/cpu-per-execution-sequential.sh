#!/usr/bin/env bash
# CPU time per execution (tree, node, its main thread) of the standalone webhook `?wait=true` path with SEQUENTIAL calls (one at a
# time, keep-alive), not a test. Nothing overlaps, so nothing is batched: the CPU an execution costs
# (node and its Postgres, from /proc) is the code's own, and stays comparable between two checkouts
# while other jobs load the machine (open-loop runs, bench/tools/cpu-per-execution.sh, are not: a
# starved process batches more and refuses calls). Starts the BUILT standalone of this checkout on a
# free port with a fresh data dir, deploys the side-by-side flows, makes 200 warm-up calls, then
# CALLS measured ones, and prints JSON. Stops what it started by PID.
#   bash bench/tools/cpu-per-execution-sequential.sh [CALLS=1000] [NODE_OPTIONS for the server]
set -euo pipefail
CALLS=${1:-1000}
SERVER_NODE_OPTIONS=${2:-}
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
source "$ROOT/bench/tools/standalone-under-test.sh"
node - "$PID" "http://127.0.0.1:$PORT/api/v1/executions/webhook/benchmarks/benchmark01/$KEY?wait=true" "$CALLS" <<'JS'
const fs = require('fs'); const http = require('http');
const [pid, url, calls] = [Number(process.argv[2]), process.argv[3], Number(process.argv[4])];
const stat = (p) => { try { const s = fs.readFileSync(`/proc/${p}/stat`, 'utf8'); const f = s.slice(s.lastIndexOf(')') + 2).split(' '); return { ppid: +f[1], t: +f[11] + +f[12] }; } catch { return null; } };
const tree = () => { const kids = new Map(); for (const d of fs.readdirSync('/proc')) { if (!/^\d+$/.test(d)) continue; const st = stat(d); if (st) (kids.get(st.ppid) ?? kids.set(st.ppid, []).get(st.ppid)).push(+d); } const all = [pid]; for (let i = 0; i < all.length; i++) all.push(...(kids.get(all[i]) ?? [])); const m = stat(`${pid}/task/${pid}`); return { node: stat(pid).t, all: all.reduce((a, p) => a + (stat(p)?.t ?? 0), 0), main: m ? m.t : 0 }; };
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const call = () => new Promise((resolve, reject) => { const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => { let b = ''; res.on('data', (c) => (b += c)); res.on('end', () => (res.statusCode === 200 && b.includes('SUCCESS') ? resolve() : reject(new Error(res.statusCode + ' ' + b.slice(0, 200))))); }); req.on('error', reject); req.end(JSON.stringify({ name: 'n' + Math.random().toString(36).slice(2, 8) })); });
(async () => {
  for (let i = 0; i < 200; i++) await call(); // warm-up
  await new Promise((r) => setTimeout(r, 1500));
  const t0 = tree(); const w0 = Date.now(); const lat = [];
  for (let i = 0; i < calls; i++) { const s = process.hrtime.bigint(); await call(); lat.push(Number(process.hrtime.bigint() - s) / 1e6); }
  await new Promise((r) => setTimeout(r, 1500)); // the read side's tail of the last calls
  const t1 = tree(); lat.sort((a, b) => a - b);
  const load = fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
  const rssMb = Math.round(+(fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/VmRSS:\s+(\d+)/)?.[1] ?? 0) / 1024);
  console.log(JSON.stringify({ calls, ms_cpu_per_execution: +((t1.all - t0.all) * 10 / calls).toFixed(2), node_ms: +((t1.node - t0.node) * 10 / calls).toFixed(2), main_thread_ms: +((t1.main - t0.main) * 10 / calls).toFixed(2), postgres_ms: +(((t1.all - t0.all) - (t1.node - t0.node)) * 10 / calls).toFixed(2), p50_ms: +lat[Math.floor(calls / 2)].toFixed(2), wall_s: (Date.now() - w0) / 1000, load, node_rss_mb: rssMb }));
  agent.destroy();
})().catch((e) => { console.error(e); process.exit(1); });
JS
