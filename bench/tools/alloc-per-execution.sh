#!/usr/bin/env bash
# CPU and JS-heap allocation per execution of the standalone webhook `?wait=true` path (benchmark01),
# not a test: bench/tools/cpu-per-execution.sh (the BUILT standalone of this checkout, open loop at
# RATE/min) with bench/tools/alloc-probe.cjs preloaded in the server. Prints the load generator's line
# and the bytes the heap allocated per execution (webhook call answered 200; refusals are counted apart), over the middle of the load (from 10 % to 95 % of
# the calls: no start-up, no drain). Both are counts of this process's own work, comparable between two
# checkouts while other jobs load the machine (a starved process batches more: compare at one rate).
#   bash bench/tools/alloc-per-execution.sh [RATE=6000] [SECONDS=45] [OUT_DIR] [extra server NODE_OPTIONS]
# SEQUENTIAL=N makes N one-at-a-time calls instead (cpu-per-execution-sequential.sh: nothing batches,
# nothing is refused; RATE and SECONDS are then ignored). ROOT=DIR measures the build in DIR instead of this checkout's. ALLOC_PROFILE=1 adds a sampling heap profile (collected objects kept) to OUT_DIR, summed by
# bench/tools/alloc-profile-top.cjs; the sampling costs CPU, so not with a CPU comparison.
set -euo pipefail
RATE=${1:-6000}
DURATION=${2:-45}
OUT=${3:-$(mktemp -d /tmp/alloc-per-execution.XXXXXX)}
EXTRA=${4:-}
TOOLS=$(cd "$(dirname "$0")" && pwd)
# ROOT=<another checkout> measures that checkout's build with these tools (a base beside a branch).
export ROOT=${ROOT:-$(cd "$TOOLS/../.." && pwd)}
mkdir -p "$OUT"
export ALLOC_OUT="$OUT/alloc.json"
if [ -n "${ALLOC_PROFILE:-}" ]; then export ALLOC_PROFILE_DIR="$OUT"; fi
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
if [ -n "${SEQUENTIAL:-}" ]; then
  bash "$TOOLS/cpu-per-execution-sequential.sh" "$SEQUENTIAL" "--require $TOOLS/alloc-probe.cjs $EXTRA" | tee "$OUT/load.json"
else
  bash "$TOOLS/cpu-per-execution.sh" "$RATE" "$DURATION" "--require $TOOLS/alloc-probe.cjs $EXTRA" | tee "$OUT/load.json"
fi
node - "$OUT" <<'JS'
const fs = require('node:fs'); const out = process.argv[2];
const s = JSON.parse(fs.readFileSync(`${out}/alloc.json`, 'utf8'));
const final = s[s.length - 1].executions;
const a = s.find((x) => x.executions >= final * 0.1), b = [...s].reverse().find((x) => x.executions <= final * 0.95);
const calls = b.executions - a.executions;
const cpuMs = ((b.cpu.user + b.cpu.system) - (a.cpu.user + a.cpu.system)) / 1000;
console.log(JSON.stringify({ webhook_calls: s[s.length - 1].requests, executions: final, window_executions: calls, window_refused: (b.requests - a.requests) - calls, window_s: (b.t - a.t) / 1000,
  kb_allocated_per_execution: Math.round(((b.allocated - a.allocated) / 1024 / calls) * 10) / 10,
  node_ms_cpu_per_execution: Math.round((cpuMs / calls) * 100) / 100 }));
JS
echo "results in $OUT"
