#!/usr/bin/env bash
# The list endpoint under load (issue 11's targets): wrk with 16 connections against a release
# server whose company group 1 holds 1,000 and 100,000 services, on SQLite and on PostgreSQL.
# Writes a table per run into target/bench-api/ and, with --write, into BENCHMARKS.md between
# its bench-api markers.
#
#   scripts/bench-api.sh [--write] [--stores "sqlite postgres"] [--sizes "1000 100000"] [--duration 10]
#                        [--lean-sizes "10000 20000"]
#   scripts/bench-api.sh --baseline 116d939 [--write]   # the server before the data-layer rewrite
#
# The baseline binary is built from that commit into target/bench-baseline/<rev>/ (once) and its
# group is filled by scripts/bench/baseline-fill.py, the same kind of services `generate` makes.
# On 2 cores wrk and the server share the CPU: compare figures from the same machine and run.
set -euo pipefail
cd "$(dirname "$0")/.."

STORES="sqlite postgres"
SIZES="1000 100000"
LEAN_SIZES="10000 20000"
DURATION=10
BASELINE=""
WRITE=""
while [ $# -gt 0 ]; do
  case "$1" in
    --stores) STORES=$2; shift 2 ;;
    --sizes) SIZES=$2; shift 2 ;;
    --lean-sizes) LEAN_SIZES=$2; shift 2 ;;
    --duration) DURATION=$2; shift 2 ;;
    --baseline) BASELINE=$2; shift 2 ;;
    --write) WRITE=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
OUT=target/bench-api
mkdir -p "$OUT"
WORK=$(mktemp -d /tmp/bench-api.XXXXXX)
chmod 711 "$WORK" # PostgreSQL's own user must reach its cluster inside
SERVER_PID=""
PG_DIR=""
cleanup() {
  if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
  if [ -n "$PG_DIR" ]; then bash scripts/pg-cluster.sh stop "$PG_DIR" >/dev/null 2>&1 || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT

free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 20000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

wait_ready() { # url
  for _ in $(seq 1 300); do
    curl -s -o /dev/null "$1/api/v1/embed-config" && return 0
    sleep 0.1
  done
  echo "the server did not start" >&2; return 1
}

# The server's own memory (anonymous pages: heap, stacks, caches). Its resident size also counts
# the database file once per memory-mapped connection: that is the shared page cache.
rss_kib() { awk '/^RssAnon/ { print $2 }' "/proc/$1/status"; }
cpu_ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
TICK=$(getconf CLK_TCK)

# One wrk run; prints "req/s|p50|p99|errors|server CPU µs per request".
measure() { # pid token url [lua script]
  local pid=$1 token=$2 url=$3 script=${4:-} log="$WORK/wrk.log" before after
  local args=(-t2 -c16 -d"${DURATION}s" --timeout 10s --latency -H "Authorization: Bearer $token")
  [ -n "$script" ] && args+=(-s "$script")
  before=$(cpu_ticks "$pid")
  wrk "${args[@]}" "$url" >"$log" 2>&1 || true
  after=$(cpu_ticks "$pid")
  local rps p50 p99 errors non2xx requests
  rps=$(awk '/^Requests\/sec/ { printf "%.0f", $2 }' "$log")
  p50=$(awk '$1 == "50%" { print $2 }' "$log")
  p99=$(awk '$1 == "99%" { print $2 }' "$log")
  errors=$(awk '/Socket errors/ { gsub(",", ""); print $4 + $6 + $8 + $10 }' "$log")
  non2xx=$(awk '/Non-2xx/ { print $5 }' "$log")
  requests=$(awk '/requests in/ { print $1 }' "$log")
  echo "${rps:-0}|${p50:--}|${p99:--}|$(( ${errors:-0} + ${non2xx:-0} ))|$(( (after - before) * 1000000 / TICK / (${requests:-0} + 1) ))"
}

# A wrk script that searches for a different word on every request (no two neighbours alike), so
# the per-search cache of facet counts rarely helps.
cat >"$WORK/searches.lua" <<'EOF'
local words = {"ord", "stock", "net", "shop", "refu", "outlet", "b2b", "trade", "clear", "prio",
  "sweep", "custom", "prod", "fulfil", "price", "magento", "linn", "veeqo", "woo", "sap",
  "tiktok", "global", "central", "bright", "peoplevox", "main", "market", "backfill", "sales",
  "inventory", "credit", "ship", "to", "store", "12", "345", "7", "99", "standard", "sweeper"}
local n = 0
request = function()
  n = n + 1
  local word = words[(n * 7919) % #words + 1]
  local path = "/api/v1/company-groups/1/services?q=" .. word .. "%20" .. ((n * 31) % 997) ..
    "&status=active&limit=50"
  return wrk.format("GET", path)
end
EOF

ROWS=()
LEAN_ROWS=()
LOAD=$(cut -d' ' -f1-3 /proc/loadavg)
record() { # store size what figures memory_before memory_after
  local IFS='|'
  read -r rps p50 p99 errors cpu <<<"$4"
  ROWS+=("| $1 | $2 | $3 | $rps | $p50 | $p99 | $errors | $cpu µs | $(( $5 / 1024 )) → $(( $6 / 1024 )) MiB |")
  echo "  $3: $rps req/s, p50 $p50, p99 $p99, errors $errors, server CPU $cpu µs/request"
}

run_queries() { # store size token url pid
  local store=$1 size=$2 token=$3 url=$4 pid=$5
  local target="$url/api/v1/company-groups/1/services?q=orders&status=active&limit=50"
  local plain="$url/api/v1/company-groups/1/services?limit=50"
  # Warm up (caches, prepared statements), then measure.
  wrk -t2 -c16 -d2s -H "Authorization: Bearer $token" "$target" >/dev/null 2>&1 || true
  local before
  before=$(rss_kib "$pid")
  record "$store" "$size" '`q=orders&status=active&limit=50`' "$(measure "$pid" "$token" "$target")" "$before" "$(rss_kib "$pid")"
  record "$store" "$size" '`limit=50`' "$(measure "$pid" "$token" "$plain")" "$before" "$(rss_kib "$pid")"
  if [ -z "$BASELINE" ]; then
    record "$store" "$size" 'a different search each request (`q=<word> <number>&status=active&limit=50`)' "$(measure "$pid" "$token" "$url" "$WORK/searches.lua")" "$before" "$(rss_kib "$pid")"
  fi
}

if [ -n "$BASELINE" ]; then
  BIN="target/bench-baseline/$BASELINE/services-server"
  if [ ! -x "$BIN" ]; then
    echo "building the baseline $BASELINE into target/bench-baseline/ (release)"
    src="target/bench-baseline/src-$BASELINE"
    rm -rf "$src" && mkdir -p "$src"
    git archive "$BASELINE" | tar -x -C "$src"
    (cd "$src" && cargo build --release -p services-server --target-dir ../target)
    mkdir -p "target/bench-baseline/$BASELINE"
    cp target/bench-baseline/target/release/services-server "$BIN"
  fi
  for size in $SIZES; do
    echo "baseline $BASELINE, sqlite, $size services"
    db="$WORK/baseline-$size.sqlite3"
    port=$(free_port)
    "$BIN" --addr "127.0.0.1:$port" --db "$db" --dist "$WORK/no-dist" --no-scheduler >"$WORK/server.log" 2>&1 &
    SERVER_PID=$!
    wait_ready "http://127.0.0.1:$port"
    token=$(awk '/ada.morgan@northwind.example/ { print $NF }' "$WORK/server.log")
    kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
    python3 scripts/bench/baseline-fill.py "$db" "$size"
    "$BIN" --addr "127.0.0.1:$port" --db "$db" --dist "$WORK/no-dist" --no-scheduler >"$WORK/server.log" 2>&1 &
    SERVER_PID=$!
    wait_ready "http://127.0.0.1:$port"
    run_queries "sqlite (baseline $BASELINE)" "$size" "$token" "http://127.0.0.1:$port" "$SERVER_PID"
    kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
  done
  label="baseline"
else
  # Profile overrides (CARGO_PROFILE_RELEASE_*) build into their own folder, so the release
  # binary the tests use is left alone.
  if env | grep -q '^CARGO_PROFILE_RELEASE_'; then
    export CARGO_TARGET_DIR="$PWD/target/bench-server"
  fi
  cargo build --release -p services-server
  BIN=${CARGO_TARGET_DIR:-target}/release/services-server
  for store in $STORES; do
    for size in $SIZES; do
      echo "$store, $size services"
      if [ "$store" = postgres ]; then
        PG_DIR="$WORK/pg"
        db=$(bash scripts/pg-cluster.sh start "$PG_DIR" "$(free_port)")
      else
        db="$WORK/bench-$size.sqlite3"
      fi
      "$BIN" create-company --db "$db" --name "Bench Ltd" --group "Bench" >/dev/null
      token=$("$BIN" issue-token --db "$db" --company 1 --role read-only --name "Bench reader" --quiet)
      "$BIN" generate --db "$db" --group 1 --services "$size" >/dev/null
      port=$(free_port)
      "$BIN" --addr "127.0.0.1:$port" --db "$db" --dist "$WORK/no-dist" --no-scheduler >"$WORK/server.log" 2>&1 &
      SERVER_PID=$!
      wait_ready "http://127.0.0.1:$port"
      run_queries "$store" "$size" "$token" "http://127.0.0.1:$port" "$SERVER_PID"
      kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
      SERVER_PID=""
      if [ -n "$PG_DIR" ]; then bash scripts/pg-cluster.sh stop "$PG_DIR" >/dev/null; PG_DIR=""; fi
    done
  done
  # The lean view: bytes on the wire for a group the SPA holds whole, against the list JSON.
  LEAN_ROWS=()
  for size in $LEAN_SIZES; do
    db="$WORK/lean-$size.sqlite3"
    "$BIN" create-company --db "$db" --name "Bench Ltd" --group "Bench" >/dev/null
    token=$("$BIN" issue-token --db "$db" --company 1 --role read-only --name "Bench reader" --quiet)
    "$BIN" generate --db "$db" --group 1 --services "$size" >/dev/null
    port=$(free_port)
    "$BIN" --addr "127.0.0.1:$port" --db "$db" --dist "$WORK/no-dist" --no-scheduler >"$WORK/server.log" 2>&1 &
    SERVER_PID=$!
    wait_ready "http://127.0.0.1:$port"
    base="http://127.0.0.1:$port/api/v1/company-groups/1/services"
    bytes() { curl -s -H "Authorization: Bearer $token" "$@" | wc -c; }
    timed() { curl -s -o /dev/null -w '%{time_total}' -H "Authorization: Bearer $token" -H "Accept-Encoding: br" "$base/lean"; }
    cold=$(timed)
    warm=$(timed)
    list=$(bytes "$base")
    raw=$(bytes "$base/lean")
    gz=$(bytes -H "Accept-Encoding: gzip" "$base/lean")
    br=$(bytes -H "Accept-Encoding: br" "$base/lean")
    LEAN_ROWS+=("| $size | $(( list / 1024 )) KiB | $(( raw / 1024 )) KiB | $(( gz / 1024 )) KiB | $(( br / 1024 )) KiB | ${cold}s | ${warm}s |")
    echo "  lean view at $size: list $list B, lean $raw B, gzip $gz B, brotli $br B"
    kill "$SERVER_PID"; wait "$SERVER_PID" 2>/dev/null || true
    SERVER_PID=""
  done
  label="current"
fi

table="$OUT/$label.md"
{
  echo "Measured $(date -u +%Y-%m-%dT%H:%MZ) on $(nproc) cores ($(git rev-parse --short HEAD); load average before: $LOAD; $(env | grep '^CARGO_PROFILE_RELEASE_' | sort | tr '\n' ' ')release build), \`wrk -t2 -c16 -d${DURATION}s --timeout 10s --latency\`."
  echo
  echo "| store | services in group 1 | request | req/s | p50 | p99 | errors | server CPU per request | server memory (anonymous RSS before → after load) |"
  echo "|---|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${ROWS[@]}"
  if [ "${#LEAN_ROWS[@]}" -gt 0 ]; then
    echo
    echo "The lean view (\`GET …/services/lean\`) against the whole group as list JSON (\`GET …/services\`), SQLite:"
    echo
    echo "| services | list JSON | lean JSON | lean, gzip | lean, brotli | first request, brotli (reads and encodes) | repeat (cached) |"
    echo "|---|---|---|---|---|---|---|"
    printf '%s\n' "${LEAN_ROWS[@]}"
  fi
} >"$table"
cat "$table"

if [ -n "$WRITE" ]; then
  python3 - "$label" "$table" <<'EOF'
import pathlib, sys
label, table = sys.argv[1], pathlib.Path(sys.argv[2]).read_text()
path = pathlib.Path("BENCHMARKS.md")
text = path.read_text() if path.exists() else "# Benchmarks\n"
begin, end = f"<!-- bench-api:{label}:begin -->", f"<!-- bench-api:{label}:end -->"
block = f"{begin}\n{table}{end}"
if begin in text:
    head, rest = text.split(begin, 1)
    text = head + block + rest.split(end, 1)[1]
else:
    text = text.rstrip("\n") + "\n\n" + block + "\n"
path.write_text(text)
EOF
  echo "BENCHMARKS.md: updated the $label figures"
fi
