#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for tests and benchmarks, on a free loopback port.
#
#   eval "$(scripts/ci-postgres.sh start)"   # prints export DATABASE_URL=… BLITZ_TEST_DATABASE_URL=… BLITZ_PG_DIR=… BLITZ_PG_BIN=…
#   scripts/ci-postgres.sh stop [DIR]        # stops the cluster and removes its directory (default $BLITZ_PG_DIR)
#   scripts/ci-postgres.sh status [DIR]
#   scripts/ci-postgres.sh crash DIR         # pg_ctl stop -m immediate: the database dies like a crash (tests)
#   scripts/ci-postgres.sh resume DIR        # starts a stopped cluster again on its port (crash recovery)
#
# Only `export` lines go to stdout (the caller evals them); everything else goes to stderr.
# PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` system user.
# The cluster is durable (fsync and synchronous_commit on): the benchmarks and crash tests measure that.
set -euo pipefail

cmd="${1:-}"

find_bin() {
  if [ -n "${BLITZ_PG_BIN:-}" ] && [ -x "$BLITZ_PG_BIN/initdb" ]; then echo "$BLITZ_PG_BIN"; return; fi
  local d
  d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [ -n "$d" ] && [ -x "$d/initdb" ]; then echo "$d"; return; fi
  if command -v initdb >/dev/null 2>&1; then dirname "$(command -v initdb)"; return; fi
  echo "ci-postgres: no PostgreSQL binaries found (apt-get install postgresql)" >&2
  exit 1
}

# runs a command as the cluster's owner
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{process.stdout.write(String(s.address().port));s.close()})"
}

case "$cmd" in
  start)
    BIN="$(find_bin)"
    DIR="$(mktemp -d "${TMPDIR:-/tmp}/blitz-pg.XXXXXX")"
    chmod 755 "$DIR"
    if [ "$(id -u)" = 0 ]; then chown postgres: "$DIR"; fi
    PORT="$(free_port)"
    as_owner "$BIN/initdb" -D "$DIR/data" -U blitz -A trust -E UTF8 --locale=C.UTF-8 >"$DIR/initdb.log" 2>&1 \
      || { cat "$DIR/initdb.log" >&2; exit 1; }
    # many small schemas and several collectors at once in the tests: more connections than the default 100
    echo "-p $PORT -k $DIR -c listen_addresses=127.0.0.1 -c max_connections=400 -c shared_buffers=256MB -c fsync=on -c synchronous_commit=on" >"$DIR/opts"
    as_owner "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/postgres.log" -w -t 60 -o "$(cat "$DIR/opts")" \
      start >&2 || { cat "$DIR/postgres.log" >&2; exit 1; }
    as_owner "$BIN/createdb" -h 127.0.0.1 -p "$PORT" -U blitz blitz >&2
    URL="postgres://blitz@127.0.0.1:$PORT/blitz"
    echo "$URL" >"$DIR/url"
    echo "ci-postgres: cluster in $DIR on 127.0.0.1:$PORT" >&2
    echo "export DATABASE_URL=$URL"
    echo "export BLITZ_TEST_DATABASE_URL=$URL"
    echo "export BLITZ_PG_DIR=$DIR"
    echo "export BLITZ_PG_BIN=$BIN"
    ;;
  stop)
    DIR="${2:-${BLITZ_PG_DIR:-}}"
    if [ -z "$DIR" ] || [ ! -d "$DIR/data" ]; then echo "ci-postgres: no cluster dir (pass it or set BLITZ_PG_DIR)" >&2; exit 1; fi
    BIN="$(find_bin)"
    as_owner "$BIN/pg_ctl" -D "$DIR/data" -m fast -w stop >&2 || true
    rm -rf "$DIR"
    ;;
  crash)
    DIR="${2:?cluster dir}"
    BIN="$(find_bin)"
    as_owner "$BIN/pg_ctl" -D "$DIR/data" -m immediate -w stop >&2
    ;;
  resume)
    DIR="${2:?cluster dir}"
    BIN="$(find_bin)"
    as_owner "$BIN/pg_ctl" -D "$DIR/data" -l "$DIR/postgres.log" -w -t 60 -o "$(cat "$DIR/opts")" start >&2 \
      || { tail -n 20 "$DIR/postgres.log" >&2; exit 1; }
    ;;
  status)
    DIR="${2:-${BLITZ_PG_DIR:-}}"
    BIN="$(find_bin)"
    as_owner "$BIN/pg_ctl" -D "$DIR/data" status >&2
    ;;
  *)
    echo "usage: $0 start|stop [DIR]|status [DIR]|crash DIR|resume DIR" >&2
    exit 2
    ;;
esac
