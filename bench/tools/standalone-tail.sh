#!/usr/bin/env bash
# Where the standalone's tail comes from, not a test: runs bench/tools/cpu-per-execution.sh (the BUILT
# standalone of this checkout, embedded Postgres with fsync, the side-by-side load generator open loop)
# with two preloads in the server: event-loop-probe.cjs (loop delay per 5 s window, GC pauses) and
# request-segments.cjs (server-side request time, append round trips, statements sent, WAL fsyncs by
# client backends). Prints the load generator's line, the loop-delay windows and the segment summary.
#   bash bench/tools/standalone-tail.sh [RATE=15000] [SECONDS=30] [OUT_DIR] [extra server NODE_OPTIONS, e.g. --cpu-prof --cpu-prof-dir=DIR]
# Then: node bench/tools/cpu-profile-breakdown.cjs DIR/*.cpuprofile 12 classes|runs|self
set -euo pipefail
RATE=${1:-15000}
DURATION=${2:-30}
OUT=${3:-$(mktemp -d /tmp/standalone-tail.XXXXXX)}
EXTRA=${4:-}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
mkdir -p "$OUT"
export ELD_OUT="$OUT/event-loop.json" SEG_OUT="$OUT/segments.json"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
bash "$ROOT/bench/tools/cpu-per-execution.sh" "$RATE" "$DURATION" "--require $ROOT/bench/tools/event-loop-probe.cjs --require $ROOT/bench/tools/request-segments.cjs $EXTRA" | tee "$OUT/load.json"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
node - "$OUT" <<'JS'
const fs = require('node:fs'); const out = process.argv[2];
const tolerant = (f) => { let s = fs.readFileSync(f, 'utf8'); if (!s.trim().endsWith(']') && !s.trim().endsWith('}')) s = s.slice(0, s.lastIndexOf('}') + 1) + ']'; return JSON.parse(s); };
console.log('event loop (per 5 s window): t s, delay p50/p99/max ms, GC count/ms/over 10 ms (running totals)');
for (const w of tolerant(`${out}/event-loop.json`)) console.log(`  ${String(w.t).padStart(4)}  ${w.p50.toFixed(1)}/${w.p99.toFixed(1)}/${w.max.toFixed(1)}  ${w.gcCount}/${w.gcMs}/${w.gcOver10}`);
const seg = JSON.parse(fs.readFileSync(`${out}/segments.json`, 'utf8'));
const wal = tolerant(`${out}/segments.json.wal`); const a = wal[0], b = wal[wal.length - 1]; const d = (k) => Number(b[k]) - Number(a[k]);
const appends = Object.entries(seg.queries).find(([k]) => k.includes('chronicle_append'))?.[1] ?? 0;
for (const k of ['request', 'appendPool', 'otherPool']) { const h = seg[k]; console.log(`${k.padEnd(11)} n ${String(h.n).padStart(6)}  p50 ${h.p50.toFixed(1)}  p90 ${h.p90.toFixed(1)}  p99 ${h.p99.toFixed(1)}  max ${h.max.toFixed(1)} ms`); }
console.log(`WAL over ${((b.t - a.t) / 1000).toFixed(0)} s: fsyncs ${d('fsyncs')} (client backends ${d('client_fsyncs')}, ${(d('client_fsyncs') / Math.max(1, appends)).toFixed(2)} per append call), commits ${d('commits')}, ${(d('wal_bytes') / 1e6).toFixed(1)} MB; append calls ${appends}; projection batches ${seg.queries['START TRANSACTION'] ?? 0}`);
console.log('statements sent:'); for (const [k, v] of Object.entries(seg.queries).sort((x, y) => y[1] - x[1]).slice(0, 10)) console.log(`  ${String(v).padStart(6)}  ${k}`);
JS
echo "results in $OUT"
