#!/usr/bin/env bash
# What the standalone costs at a low rate, not a test: idle CPU (timers, polls, pool connections
# closed and reopened) and CPU and Postgres statements per execution at RATE/min. Starts the BUILT
# standalone of ROOT (default: this checkout) with a fresh data dir (standalone-under-test.sh), makes
# 20 warm-up calls of benchmark01, waits 15 s, then:
#   1. idle: IDLE_S seconds with no traffic: CPU by role (node, postgres with ended backends:
#      process-cpu.mjs) and node's Postgres statements and new connections per second;
#   2. load: the side-by-side load generator open loop at RATE/min (5 s warm-up + SECONDS), then a
#      2 s tail: CPU by role per execution over all of it (the idle rate NOT taken off: it is part
#      of what a low rate costs), statements, and Postgres's WAL fsyncs and commits per execution
#      (pg-wal-stats.mjs).
# CHRONICLE_COUNT_SQL=1 lists the statements by text. Prints one JSON line; stops what it started.
#   [ROOT=/path/to/checkout] bash bench/tools/low-rate-standalone.sh [RATE=3000] [SECONDS=30] [IDLE_S=30]
set -euo pipefail
RATE=${1:-3000}
DURATION=${2:-30}
IDLE_S=${3:-30}
TOOLS=$(cd "$(dirname "$0")" && pwd)
ROOT=${ROOT:-$(cd "$TOOLS/../.." && pwd)}
COUNTS=$(mktemp -d /tmp/low-rate-counts.XXXXXX)
export CHRONICLE_COUNT_DIR=$COUNTS
SERVER_NODE_OPTIONS="--require $TOOLS/count-requests.cjs ${SERVER_NODE_OPTIONS:-}"
source "$TOOLS/standalone-under-test.sh"
trap 'cleanup; rm -rf "$COUNTS"' EXIT
URL="http://127.0.0.1:$PORT/api/v1/executions/webhook/benchmarks/benchmark01/$KEY?wait=true"
for i in $(seq 1 20); do curl -fs --max-time 30 -X POST -H 'content-type: application/json' -d "{\"name\":\"w$i\"}" "$URL" > /dev/null; done
sleep 15
counts() { sleep 1.2; cat "$COUNTS"/standalone-*.json; }
C0=$(counts)
IDLE=$(node "$TOOLS/process-cpu.mjs" "$PID" "$IDLE_S")
C1=$(counts)
W1=$(cd "$ROOT" && node "$TOOLS/pg-wal-stats.mjs" "$DATA/d")
node "$TOOLS/process-cpu.mjs" "$PID" > "$DATA/load-cpu.json" &
SAMPLER=$!
node "$HARNESS/loadgen.mjs" --system chronicle-standalone --target http --check chronicle --url "$URL" \
  --idle 0 --rates "$RATE" --warmup 5 --duration "$DURATION" --cooldown 0 --timeout 30 --pids "$PID" --out "$DATA/load.json" > "$DATA/loadgen.log" 2>&1 || { cat "$DATA/loadgen.log"; exit 1; }
sleep 2
kill -TERM "$SAMPLER"; wait "$SAMPLER" || true
C2=$(counts)
W2=$(cd "$ROOT" && node "$TOOLS/pg-wal-stats.mjs" "$DATA/d")
node -e '
const fs = require("fs");
const [idle, c0, c1, c2, idleS, sent] = [JSON.parse(process.argv[1]), JSON.parse(process.argv[2]), JSON.parse(process.argv[3]), JSON.parse(process.argv[4]), Number(process.argv[5]), Number(process.argv[6])];
const [w1, w2] = [JSON.parse(process.argv[9]), JSON.parse(process.argv[10])];
const load = JSON.parse(fs.readFileSync(process.argv[7], "utf8").trim()), r = JSON.parse(fs.readFileSync(process.argv[8], "utf8")), step = r.steps[0];
const r2 = (x) => Math.round(x * 100) / 100;
const per = (a, b, by) => Object.fromEntries(Object.keys(b).map((k) => [k, r2((b[k] - (a[k] ?? 0)) / by)]).filter(([, v]) => v).sort((x, y) => y[1] - x[1]));
const done = step.errors ? sent - step.errors : sent;
console.log(JSON.stringify({
  idle: { cores: idle.cores, cores_by_role: Object.fromEntries(Object.entries(idle.cpu_s).map(([k, v]) => [k, Math.round((v / idle.window_s) * 1e4) / 1e4])), pg_per_s: per(c0.pg, c1.pg, idleS), ...(c1.sql ? { sql_per_s: per(c0.sql, c1.sql, idleS) } : {}) },
  load: { rate: step.offered_rpm, achieved_rpm: step.achieved_rpm, errors: step.errors, p50_ms: step.p50_ms, p99_ms: step.p99_ms, other_load_cores: step.other_load_cores, executions: done,
    ms_cpu_per_execution: r2((load.total_cpu_s * 1000) / done), ms_by_role: Object.fromEntries(Object.entries(load.cpu_s).map(([k, v]) => [k, r2((v * 1000) / done)])),
    pg_per_execution: per(c1.pg, c2.pg, done), wal_per_execution: per(w1, w2, done), ...(c2.sql ? { sql_per_execution: per(c1.sql, c2.sql, done) } : {}) },
  load_average: fs.readFileSync("/proc/loadavg", "utf8").split(" ")[0] }));
' "$IDLE" "$C0" "$C1" "$C2" "$IDLE_S" "$(( RATE * (5 + DURATION) / 60 ))" "$DATA/load-cpu.json" "$DATA/load.json" "$W1" "$W2"
