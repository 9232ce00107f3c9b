#!/usr/bin/env bash
# Schemathesis (pinned, in .tools/venv: `make setup`) against the API's own OpenAPI document,
# with every check, all four phases (examples, coverage, fuzzing, stateful) and DELETE included.
#
# Without BASE_URL: starts the release server binary on a throw-away SQLite database with demo
# data, once per seed (the fixed SCHEMATHESIS_SEED, then a random one, both printed), as its
# admin. With BASE_URL (and TOKEN): one run against that server, e.g.
#   make schemathesis BASE_URL=http://127.0.0.1:8080 TOKEN=pw_1_… [SEEDS=42] [EXAMPLES=50]
# Careful: it changes and removes services on that server.
#
# Prints each run's result and, last, "schemathesis: N passed, M failed": test cases that
# passed every check, and the unique failures Schemathesis found; exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."

VENV=.tools/venv
ST="$VENV/bin/schemathesis"
[ -x "$ST" ] || { echo "schemathesis is missing: run make setup" >&2; exit 1; }
EXAMPLES=${EXAMPLES:-100}
FIXED_SEED=${SCHEMATHESIS_SEED:-20261129}
SEEDS=${SEEDS:-"$FIXED_SEED $(( (RANDOM << 15 | RANDOM) ))"}
BIN=${SERVICES_RELEASE_BIN:-target/release/services-server}
WORK=$(mktemp -d)
server_pid=""

cleanup() {
  if [ -n "$server_pid" ]; then kill "$server_pid" 2>/dev/null; wait "$server_pid" 2>/dev/null; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

# Starts the release binary on a new database; sets BASE_URL and TOKEN (company 1's admin).
start_server() {
  local dir="$WORK/$1"
  mkdir -p "$dir/dist"
  # The abuse limits are off: Schemathesis sends hundreds of writes and bad tokens a minute
  # from one address, which the defaults would (rightly) answer with 429s.
  "$BIN" --addr 127.0.0.1:0 --db "$dir/services.sqlite3" --dist "$dir/dist" --demo \
    --no-scheduler --run-step-ms 20 --auth-failures-per-minute 0 \
    --writes-per-minute-per-user 0 --writes-per-minute-per-client 0 \
    >"$dir/server.log" 2>&1 &
  server_pid=$!
  for _ in $(seq 300); do
    BASE_URL=$(sed -n 's|^Patchworks services list: \(.*\)/$|\1|p' "$dir/server.log")
    [ -n "$BASE_URL" ] && break
    kill -0 "$server_pid" 2>/dev/null || { cat "$dir/server.log"; return 1; }
    sleep 0.1
  done
  [ -n "$BASE_URL" ] || { echo "the server did not start" >&2; return 1; }
  TOKEN=$(awk '$(NF-2) == "admin" { print $NF; exit }' "$dir/server.log")
  [ -n "$TOKEN" ] || { echo "no admin token in the server's output" >&2; return 1; }
}

stop_server() {
  kill "$server_pid" 2>/dev/null
  wait "$server_pid" 2>/dev/null
  server_pid=""
}

passed=0
failed=0
status=0
own_server=${BASE_URL:+no}
for seed in $SEEDS; do
  if [ -z "$own_server" ]; then
    start_server "seed-$seed" || exit 1
  fi
  echo "== schemathesis $("$ST" --version | awk '{ print $NF }') against $BASE_URL: seed $seed, $EXAMPLES examples per operation"
  log="$WORK/run-$seed.log"
  SCHEMATHESIS_HOOKS=scripts.schemathesis_hooks PYTHONPATH=. \
    "$ST" --config-file scripts/schemathesis.toml run "$BASE_URL/api/v1/openapi.json" \
    --url "$BASE_URL" -H "Authorization: Bearer $TOKEN" \
    --checks all --phases examples,coverage,fuzzing,stateful \
    --max-examples "$EXAMPLES" --seed "$seed" --no-color 2>&1 | tee "$log"
  run_status=${PIPESTATUS[0]}
  [ "$run_status" = 0 ] || status=$run_status
  # The summary's "Test cases:" line: "N generated, N passed" or "N generated, M found …".
  cases=$(sed -n 's/^ *\([0-9][0-9]*\) generated.*/\1/p' "$log" | tail -1)
  bad=$(sed -n 's/.* found \([0-9][0-9]*\) unique failure.*/\1/p' "$log" | tail -1)
  failing=$(sed -n 's/.* generated, \([0-9][0-9]*\) found.*/\1/p' "$log" | tail -1)
  cases=${cases:-0}
  bad=${bad:-0}
  failing=${failing:-0}
  if [ "$run_status" != 0 ] && [ "$bad" = 0 ]; then bad=1; fi
  passed=$((passed + cases - failing))
  failed=$((failed + bad))
  echo "== seed $seed: $cases test cases, $bad failures (exit $run_status)"
  [ -z "$own_server" ] && stop_server
done
echo "schemathesis: $passed passed, $failed failed"
exit "$status"
