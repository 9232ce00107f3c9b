#!/usr/bin/env bash
# A throw-away local PostgreSQL cluster from Debian's `postgresql` package, for `make
# run-postgres`, the tests and the benchmarks. Listens on 127.0.0.1 only, trust authentication.
#
#   scripts/pg-cluster.sh start DIR [PORT] [--watch PID]   # prints the connection URL (if it
#                                                          # runs already, just that)
#   scripts/pg-cluster.sh stop DIR                         # stops it (the files stay)
#   scripts/pg-cluster.sh url DIR                          # the URL of a running cluster
#
# DIR holds the cluster (DIR/data), its socket and its log (DIR/postgresql.log); a second start
# on the same DIR reuses the data. Without PORT a free one is chosen. With --watch, the cluster
# is stopped and DIR removed once process PID has exited (the tests pass their own pid, so a
# killed test run leaves nothing behind). As root, the server runs as the `postgres` user
# (initdb refuses root); otherwise as the caller.
set -euo pipefail

die() { echo "pg-cluster: $*" >&2; exit 1; }

bin_dir() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    [ -x "$dir/initdb" ] && { echo "$dir"; return; }
  done
  command -v initdb >/dev/null && { dirname "$(command -v initdb)"; return; }
  die "PostgreSQL is not installed: run \`make setup\` (as root it installs Debian's postgresql), or apt-get install -y postgresql"
}

as_owner() { # run a command as the cluster's owner
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

# A port that is free now, below the kernel's ephemeral range (ip_local_port_range), where
# the outgoing connections of other processes would otherwise take it between this check and
# PostgreSQL's bind.
free_port() {
  local port low=10000 high=32000 first
  if read -r first _ </proc/sys/net/ipv4/ip_local_port_range 2>/dev/null && [ "$first" -gt 2000 ]; then
    high=$((first - 1)); [ "$high" -gt $low ] || low=1100
  fi
  while :; do
    port=$((low + RANDOM % (high - low)))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}

cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || die "usage: $0 start|stop|url DIR [PORT] [--watch PID]"

case "$cmd" in
  start)
    shift 2
    port="" watch=""
    while [ $# -gt 0 ]; do
      case "$1" in
        --watch) watch=$2; shift 2 ;;
        *) port=$1; shift ;;
      esac
    done
    BIN=$(bin_dir)
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    if [ -f "$dir/port" ] && as_owner "$BIN/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
      echo "postgres://postgres@127.0.0.1:$(cat "$dir/port")/postgres"
      exit 0
    fi
    if [ "$(id -u)" = 0 ]; then chown postgres "$dir"; chmod 700 "$dir"; fi
    if [ ! -f "$dir/data/PG_VERSION" ]; then
      as_owner "$BIN/initdb" -D "$dir/data" -U postgres --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
        die "initdb failed: $(tail -5 "$dir/initdb.log")"
    fi
    # A chosen port can still be taken before PostgreSQL binds it (other test processes pick
    # theirs at the same moment): then it tries another, up to five times.
    fixed_port=$port
    for attempt in 1 2 3 4 5; do
      [ -n "$fixed_port" ] || port=$(free_port)
      # Quick to start and stop; durability is not the point of a throw-away cluster.
      if as_owner "$BIN/pg_ctl" -D "$dir/data" -l "$dir/postgresql.log" -w -t 60 \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=400" \
        start >/dev/null; then
        break
      fi
      if [ -z "$fixed_port" ] && [ "$attempt" -lt 5 ] && tail -20 "$dir/postgresql.log" | grep -q "Address already in use"; then
        continue
      fi
      die "PostgreSQL did not start: $(tail -5 "$dir/postgresql.log")"
    done
    echo "$port" >"$dir/port"
    if [ -n "$watch" ]; then
      setsid bash -c "while kill -0 $watch 2>/dev/null; do sleep 1; done
        $( [ "$(id -u)" = 0 ] && echo 'runuser -u postgres --' ) '$BIN/pg_ctl' -D '$dir/data' -m immediate stop >/dev/null 2>&1
        rm -rf '$dir'" </dev/null >/dev/null 2>&1 &
    fi
    echo "postgres://postgres@127.0.0.1:$port/postgres"
    ;;
  stop)
    BIN=$(bin_dir)
    [ -f "$dir/data/PG_VERSION" ] || exit 0
    as_owner "$BIN/pg_ctl" -D "$dir/data" -m fast stop >/dev/null 2>&1 || true
    ;;
  url)
    [ -f "$dir/port" ] || die "no cluster in $dir"
    echo "postgres://postgres@127.0.0.1:$(cat "$dir/port")/postgres"
    ;;
  *) die "unknown command $cmd" ;;
esac
