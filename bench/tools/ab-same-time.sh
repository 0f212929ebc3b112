#!/usr/bin/env bash
# A/B of two built checkouts AT THE SAME TIME, not a test: on a machine other jobs load, two runs
# minutes apart see different machines (CPU per execution moved ±25 % between alternated runs on
# 2026-12-08); two runs side by side share the same one. Each pair starts the BUILT standalone of
# BASE and of this checkout together, each with its own data dir and port, through
# alloc-per-execution.sh (allocation and CPU per execution; GC events with event-loop-probe.cjs in
# sequential mode), and prints one line per side. Stops what it started (the tools do, by PID).
#   bash bench/tools/ab-same-time.sh BASE_DIR [PAIRS=3] [seq CALLS=1000 | rate RATE=6000 SECONDS=20]
# e.g. ab-same-time.sh /tmp/base 3 seq 1000     ab-same-time.sh /tmp/base 3 rate 6000 20
# Both sides share 2 cores: keep the rate at what both sustain together, or the runs starve and batch.
set -uo pipefail
BASE=$1; PAIRS=${2:-3}; MODE=${3:-seq}; A=${4:-}; B=${5:-20}
TOOLS=$(cd "$(dirname "$0")" && pwd)
BRANCH=$(cd "$TOOLS/../.." && pwd)
OUT=$(mktemp -d /tmp/ab-same-time.XXXXXX)
for i in $(seq 1 "$PAIRS"); do
  for side in base branch; do
    root=$BRANCH; [ "$side" = base ] && root=$BASE
    dir=$OUT/$side-$i; mkdir -p "$dir"
    if [ "$MODE" = seq ]; then
      (ELD_OUT=$dir/eld.json ROOT=$root SEQUENTIAL=${A:-1000} bash "$TOOLS/alloc-per-execution.sh" 0 0 "$dir" "--require $TOOLS/event-loop-probe.cjs" > "$dir.log" 2>&1) &
    else
      (ROOT=$root bash "$TOOLS/alloc-per-execution.sh" "${A:-6000}" "$B" "$dir" > "$dir.log" 2>&1) &
    fi
  done
  wait
  for side in base branch; do
    dir=$OUT/$side-$i
    gc=$( [ -f "$dir/eld.json" ] && node -e 'const w=JSON.parse(require("fs").readFileSync(process.argv[1]));const l=w[w.length-1];console.log(JSON.stringify({gc_events:l.gcCount,gc_ms:l.gcMs}))' "$dir/eld.json" 2>/dev/null)
    echo "$side $i $(grep -h -E '"calls"|"rate"' "$dir.log") $(grep -h kb_ "$dir.log") ${gc:-}"
  done
done
echo "logs in $OUT"
