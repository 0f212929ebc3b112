#!/usr/bin/env bash
# Where ONE idle webhook call's time goes (issue #19 idle p50), not a test. Starts the BUILT standalone
# of ROOT (default this checkout; standalone-under-test.sh: embedded Postgres, fsync on) with the
# request-timeline.cjs preload, makes 200 warm-up calls of benchmark01 `?wait=true` on one keep-alive
# connection, then N back-to-back calls and N calls with PAUSE ms between them (the previous call's
# background work done or not). The client and the server stamp with the same monotonic clock, so a
# call splits into: client send -> server request start (socket, HTTP parse) -> middleware ->
# controller -> append called -> statement sent -> append answered -> res.end -> finish -> client has
# it. Prints p50 of each segment per mode and the statements per call. Stops what it started.
#   [ROOT=/path] bash bench/tools/idle-breakdown.sh [N=200] [PAUSE=20]
set -euo pipefail
N=${1:-200}
PAUSE=${2:-20}
TOOLS=$(cd "$(dirname "$0")" && pwd)
ROOT=${ROOT:-$(cd "$TOOLS/../.." && pwd)}
TLD=$(mktemp -d /tmp/idle-tl.XXXXXX)
export TL_OUT=$TLD/timeline.json
SERVER_NODE_OPTIONS="--require $TOOLS/request-timeline.cjs ${SERVER_NODE_OPTIONS:-}"
source "$TOOLS/standalone-under-test.sh"
trap 'cleanup; rm -rf "$TLD"' EXIT
node - "$PID" "http://127.0.0.1:$PORT/api/v1/executions/webhook/benchmarks/benchmark01/$KEY?wait=true" "$N" "$PAUSE" "$TL_OUT" <<'JS'
const fs = require('fs'); const http = require('http');
const [pid, url, n, pause, tlOut] = [Number(process.argv[2]), process.argv[3], Number(process.argv[4]), Number(process.argv[5]), process.argv[6]];
const now = () => Number(process.hrtime.bigint()) / 1e6;
const stat = (p) => { try { const s = fs.readFileSync(`/proc/${p}/stat`, 'utf8'); const f = s.slice(s.lastIndexOf(')') + 2).split(' '); return { ppid: +f[1], t: +f[11] + +f[12] }; } catch { return null; } };
const tree = () => { const kids = new Map(); for (const d of fs.readdirSync('/proc')) { if (!/^\d+$/.test(d)) continue; const st = stat(d); if (st) (kids.get(st.ppid) ?? kids.set(st.ppid, []).get(st.ppid)).push(+d); } const all = [pid]; for (let i = 0; i < all.length; i++) all.push(...(kids.get(all[i]) ?? [])); return { node: stat(pid).t, all: all.reduce((a, p) => a + (stat(p)?.t ?? 0), 0) }; };
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const call = () => new Promise((resolve, reject) => { const c = { send: now() }; const req = http.request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json' } }, (res) => { let b = ''; res.on('data', (x) => { if (c.first === undefined) c.first = now(); b += x; }); res.on('end', () => { c.done = now(); res.statusCode === 200 && b.includes('SUCCESS') ? resolve(c) : reject(new Error(res.statusCode + ' ' + b.slice(0, 200))); }); }); req.on('error', reject); req.end(JSON.stringify({ name: 'n' + Math.random().toString(36).slice(2, 8) })); });
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
(async () => {
  for (let i = 0; i < 200; i++) await call();
  await sleep(1500);
  const modes = {};
  for (const [mode, gap] of [['back-to-back', 0], [`pause ${pause} ms`, pause], ['back-to-back again', 0]]) {
    const t0 = tree(); const calls = [];
    for (let i = 0; i < n; i++) { calls.push(await call()); if (gap) await sleep(gap); }
    await sleep(1500); const t1 = tree();
    modes[mode] = { calls, cpu: { all: (t1.all - t0.all) * 10 / n, node: (t1.node - t0.node) * 10 / n } };
    await sleep(500);
  }
  process.kill(pid, 'SIGUSR2'); await sleep(500);
  const T = JSON.parse(fs.readFileSync(tlOut, 'utf8'));
  const p = (xs, q) => { const s = xs.filter((x) => Number.isFinite(x)).sort((a, b) => a - b); return s.length ? +s[Math.min(s.length - 1, Math.floor(s.length * q))].toFixed(3) : null; };
  const out = { load: fs.readFileSync('/proc/loadavg', 'utf8').split(' ')[0] };
  for (const [mode, { calls, cpu }] of Object.entries(modes)) {
    // match each call to the server's request that started inside it
    const rows = calls.map((c) => { const s = T.find((r) => r.t0 >= c.send && r.t0 <= c.done); return { c, s }; }).filter((x) => x.s && x.s.poolCall !== undefined);
    const seg = {
      'client send -> server request start': rows.map(({ c, s }) => s.t0 - c.send),
      'request start -> middleware': rows.map(({ s }) => s.mw),
      'middleware -> controller (body, route, pipes)': rows.map(({ s }) => s.handler - s.mw),
      'controller -> append called (trigger, decide)': rows.map(({ s }) => s.poolCall - s.handler),
      'append called -> statement sent (pool)': rows.map(({ s }) => s.sent - s.poolCall),
      'statement sent -> answer (Postgres, commit)': rows.map(({ s }) => s.appended - s.sent),
      'append answer -> res.end (render)': rows.map(({ s }) => s.end - s.appended),
      'res.end -> finish': rows.map(({ s }) => s.finish - s.end),
      'finish -> client has it': rows.map(({ c, s }) => c.done - (s.t0 + s.finish)),
      'append answer - NOTIFY arrival (> 0: notice first)': rows.map(({ s }) => s.appended - s.notified),
      'append answer - next statement sent (> 0: sent first)': rows.map(({ s }) => s.otherFirst === undefined ? NaN : s.appended - s.otherFirst),
      'server-side (request start -> finish)': rows.map(({ s }) => s.finish),
      'client latency': rows.map(({ c }) => c.done - c.send),
    };
    const others = {}; const between = {};
    for (const { s } of rows) { for (const [k, v] of Object.entries(s.others)) others[k] = (others[k] || 0) + v / rows.length; for (const [k, v] of Object.entries(s.between)) between[k] = (between[k] || 0) + v / rows.length; }
    const before = (f) => rows.filter(({ s }) => f(s)).length;
    out[mode] = { matched: rows.length, notice_before_answer: before((s) => s.notified !== undefined && s.notified < s.appended), statement_before_answer: before((s) => s.otherFirst !== undefined && s.otherFirst < s.appended), cpu_ms_per_call: { all: +cpu.all.toFixed(2), node: +cpu.node.toFixed(2) }, p50: Object.fromEntries(Object.entries(seg).map(([k, v]) => [k, p(v, 0.5)])), p90: Object.fromEntries(Object.entries(seg).map(([k, v]) => [k, p(v, 0.9)])),
      other_statements_in_request: Object.fromEntries(Object.entries(others).map(([k, v]) => [k, +v.toFixed(2)])), statements_between_requests: Object.fromEntries(Object.entries(between).map(([k, v]) => [k, +v.toFixed(2)])) };
  }
  console.log(JSON.stringify(out, null, 1));
  agent.destroy();
})().catch((e) => { console.error(e); process.exit(1); });
JS
