# Sourced before every README block the README test runs (readme.e2e.spec.ts), in a fresh bash.
# `npm start` and `npm run start:distributed` stay in the foreground for a reader; here they start
# in the background, in their own process group (the test stops it by that id), and return once
# Chronicle says it listens. Every other npm command is npm itself.
set -eo pipefail

npm() {
  if [[ "$1" == start || ( "$1" == run && "$2" == start:distributed ) ]]; then
    readme_start_server "$@"
  else
    command npm "$@"
  fi
}

readme_start_server() {
  local log="$README_TEST_DIR/server.log"
  if [[ "$1" == run ]]; then
    # Distributed mode on the test's own Postgres and Kafka instead of starting another pair.
    export DATABASE_URL="$README_TEST_DATABASE_URL" KAFKA_BROKERS="$README_TEST_KAFKA_BROKERS" CHRONICLE_TOPIC_PREFIX="$README_TEST_TOPIC_PREFIX"
  fi
  setsid npm "$@" >"$log" 2>&1 </dev/null &
  local pid=$!
  echo "$pid" >"$README_TEST_DIR/server.pid"
  for _ in $(seq 1 480); do
    if grep -qE 'listening on|Chronicle \(distributed\) on' "$log"; then grep -v '^{' "$log"; return 0; fi
    if ! kill -0 "$pid" 2>/dev/null; then echo "the server exited:" >&2; cat "$log" >&2; return 1; fi
    sleep 0.5
  done
  echo "the server was not ready within 240 s:" >&2; cat "$log" >&2; return 1
}
