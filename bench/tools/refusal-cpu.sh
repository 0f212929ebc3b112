#!/usr/bin/env bash
# bench/tools/refusal-cpu.sh [COUNT] [CONCURRENCY] [KIND=webhook|rest|graphql]: the server's CPU time per refused start.
# Starts the BUILT standalone of this checkout (standalone-under-test.sh) with CHRONICLE_MAX_IN_FLIGHT=1,
# holds its one slot with a paused execution, and sends COUNT webhook calls (default 20000, CONCURRENCY
# 32 at a time over kept-alive connections), all refused 429. The gateway's HTTP stack (configureHttp) is
# the same in distributed mode. CPU time, not wall time: meaningful on a busy machine.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
SERVER_NODE_OPTIONS=${SERVER_NODE_OPTIONS:-}
export CHRONICLE_MAX_IN_FLIGHT=1 CHRONICLE_ADMISSION_TARGET_MS=0
HARNESS=/dev/null
# standalone-under-test.sh deploys the side-by-side flows with the harness; this tool deploys its own.
source <(sed '/chronicle-deploy.mjs/d' "$ROOT/bench/tools/standalone-under-test.sh")
node "$ROOT/bench/tools/refusal-cpu.mjs" "http://127.0.0.1:$PORT" "$TOKEN" "$PID" "${1:-20000}" "${2:-32}" "${3:-webhook}"
