#!/usr/bin/env bash
# What the standalone's process tree spends at rest (no load), not a test: a fixed cost per second is
# 1 ms per execution at 3,000/min for every 0.05 cores. Starts the BUILT standalone of this checkout
# (standalone-under-test.sh: embedded Postgres, fsync on, the side-by-side flows deployed), lets it
# settle, then samples the CPU ticks of every process of its tree over SECONDS, grouped by role
# (node; Postgres's client backends; each auxiliary process), and, with the statement counter
# preloaded (request-segments.cjs; its own WAL sampler's query excluded), the statements node sent.
#   bash bench/tools/rest-cpu.sh [SECONDS=30] [SETTLE=15]
set -euo pipefail
DURATION=${1:-30}
SETTLE=${2:-15}
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
SEG_DIR=$(mktemp -d /tmp/rest-cpu.XXXXXX)
export SEG_OUT=$SEG_DIR/seg.json
SERVER_NODE_OPTIONS="--require $ROOT/bench/tools/request-segments.cjs"
source "$ROOT/bench/tools/standalone-under-test.sh"
trap 'cleanup; rm -rf "$SEG_DIR"' EXIT
sleep "$SETTLE"
# Ticks of every process under the server, by role.
snap() { node -e '
const fs = require("fs"); const root = +process.argv[1];
const stat = (p) => { try { const s = fs.readFileSync(`/proc/${p}/stat`, "utf8"); const f = s.slice(s.lastIndexOf(")") + 2).split(" "); return { ppid: +f[1], t: +f[11] + +f[12] }; } catch { return null; } };
const role = (p) => { try { const c = fs.readFileSync(`/proc/${p}/cmdline`, "utf8").replace(/\0/g, " ").trim(); if (p === root) return "node"; const m = /^postgres: (.*)$/.exec(c); if (!m) return "postgres (postmaster)"; return /\d+\.\d+\.\d+\.\d+\(\d+\)|\[local\]/.test(m[1]) ? "postgres: client backends" : "postgres: " + m[1].replace(/\s+\d.*$/, ""); } catch { return "?"; } };
const kids = new Map(); for (const d of fs.readdirSync("/proc")) { if (!/^\d+$/.test(d)) continue; const st = stat(d); if (st) (kids.get(st.ppid) ?? kids.set(st.ppid, []).get(st.ppid)).push(+d); }
const all = [root]; for (let i = 0; i < all.length; i++) all.push(...(kids.get(all[i]) ?? []));
const out = {}; for (const p of all) { const s = stat(p); if (s) out[p] = { role: role(p), t: s.t }; }
console.log(JSON.stringify(out));' "$PID"; }
cp "$SEG_OUT" "$SEG_DIR/seg0.json" 2>/dev/null || echo '{"queries":{}}' > "$SEG_DIR/seg0.json"
S0=$(snap); sleep "$DURATION"; S1=$(snap)
sleep 6; cp "$SEG_OUT" "$SEG_DIR/seg1.json"
node -e '
const fs = require("fs"); const [a, b, secs, hz] = [JSON.parse(process.argv[1]), JSON.parse(process.argv[2]), +process.argv[3], 100];
const byRole = {}; for (const [p, s1] of Object.entries(b)) { const s0 = a[p]?.t ?? 0; byRole[s1.role] = (byRole[s1.role] ?? 0) + (s1.t - s0); }
const cores = Object.fromEntries(Object.entries(byRole).sort((x, y) => y[1] - x[1]).map(([r, t]) => [r, Math.round((t / hz / secs) * 10000) / 10000]));
const total = Object.values(cores).reduce((x, y) => x + y, 0);
const j0 = JSON.parse(fs.readFileSync(process.argv[4], "utf8")), j1 = JSON.parse(fs.readFileSync(process.argv[5], "utf8"));
const q0 = j0.queries ?? {}, q1 = j1.queries ?? {}, q0at = j0.at, q1at = j1.at;
const stmts = Object.fromEntries(Object.entries(q1).map(([k, n]) => [k, n - (q0[k] ?? 0)]).filter(([k, n]) => n > 0 && !k.includes("pg_stat_io")).sort((x, y) => y[1] - x[1]));
console.log(JSON.stringify({ seconds: secs, cores_total: Math.round(total * 10000) / 10000, ms_per_execution_at_3000_per_min: Math.round(total * 1000 / 50 * 100) / 100, cores_by_role: cores,
  statements_per_second: Math.round((Object.values(stmts).reduce((x, y) => x + y, 0) / ((q1at - q0at) / 1000)) * 100) / 100, statement_window_s: (q1at - q0at) / 1000, statements: stmts }, null, 1));
' "$S0" "$S1" "$DURATION" "$SEG_DIR/seg0.json" "$SEG_DIR/seg1.json"
