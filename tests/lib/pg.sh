#!/usr/bin/env bash
# pg.sh — a throwaway PostgreSQL server for tests and benchmarks: initdb in a temporary
# folder, pg_ctl on 127.0.0.1 at a free port, password authentication, owned by an
# unprivileged user when run as root; stopped and removed afterwards.
#
#   tests/lib/pg.sh run CMD [ARG...]   start a server, run CMD with PG_URL (a postgresql://
#                                      URL of an empty database), PG_DIR and PG_CTL in its
#                                      environment, stop the server, exit with CMD's status
#   tests/lib/pg.sh start DIR          start a server in DIR (created; must not exist) and
#                                      print its URL; DIR/url and DIR/env hold it too
#   tests/lib/pg.sh stop DIR           stop the server in DIR and remove DIR
#   tests/lib/pg.sh restart DIR        stop it (fast: open connections are cut) and start it
#                                      again on the same port; the data stays
#
# PG_OPTS adds server settings, e.g. PG_OPTS="-c fsync=off" (tests that need no durability).
# A script may also source this file and call pg_start DIR / pg_stop DIR / pg_restart DIR.
set -euo pipefail

pg_bindir() {
    local d
    for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        [ -x "$d/initdb" ] && { echo "$d"; return 0; }
    done
    command -v initdb >/dev/null 2>&1 && { dirname "$(command -v initdb)"; return 0; }
    echo "pg.sh: no PostgreSQL server found (install the postgresql package: make deps)" >&2
    return 1
}

# as_owner DIR CMD...: runs CMD as the owner of DIR (root cannot run the server itself).
as_owner() {
    local dir=$1
    shift
    if [ "$(id -u)" = 0 ]; then
        runuser -u "$(stat -c %U "$dir")" -- "$@"
    else
        "$@"
    fi
}

# pg_free_port: a TCP port on 127.0.0.1 nobody listens on now.
pg_free_port() {
    local p i
    for i in $(seq 1 50); do
        p=$((20000 + RANDOM % 40000))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            echo "$p"
            return 0
        fi
    done
    return 1
}

# pg_launch DIR: starts the server of DIR on the port in DIR/port (waits until it answers).
pg_launch() {
    local dir=$1 bin
    bin=$(pg_bindir)
    as_owner "$dir" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
        -o "-c listen_addresses=127.0.0.1 -p $(cat "$dir/port") -c unix_socket_directories=$dir/sock -c max_connections=200 ${PG_OPTS:-}" \
        start >/dev/null 2>>"$dir/ctl.log"
}

pg_start() {
    local dir=$1 bin pw port try
    bin=$(pg_bindir)
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    chmod 700 "$dir"
    mkdir -p "$dir/sock"
    if [ "$(id -u)" = 0 ]; then
        local owner=postgres
        getent passwd "$owner" >/dev/null || owner=nobody
        chown -R "$owner" "$dir"
        # the owner must reach the folder through its parents
        local p=$dir
        while p=$(dirname "$p") && [ "$p" != / ]; do
            [ -x "$p" ] || { echo "pg.sh: $owner cannot enter $p" >&2; return 1; }
        done
    fi
    pw=$(head -c 18 /dev/urandom | base64 | tr -d '/+=')
    printf '%s\n' "$pw" >"$dir/pw"
    chmod 600 "$dir/pw"
    [ "$(id -u)" = 0 ] && chown "$(stat -c %U "$dir")" "$dir/pw"
    as_owner "$dir" "$bin/initdb" -D "$dir/data" -U hub --pwfile="$dir/pw" -A scram-sha-256 \
        -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
        { echo "pg.sh: initdb failed (see $dir/initdb.log)" >&2; return 1; }
    for try in 1 2 3 4 5; do
        port=$(pg_free_port)
        echo "$port" >"$dir/port"
        pg_launch "$dir" && break
        [ "$try" = 5 ] && { echo "pg.sh: server did not start (see $dir/server.log)" >&2; return 1; }
    done
    local url="postgresql://hub:$pw@127.0.0.1:$port/postgres"
    PGPASSWORD=$pw "$bin/psql" -q -h 127.0.0.1 -p "$port" -U hub -d postgres \
        -c "CREATE DATABASE hub" >/dev/null
    url="postgresql://hub:$pw@127.0.0.1:$port/hub"
    echo "$url" >"$dir/url"
    printf 'PG_URL=%s\nPG_DIR=%s\n' "$url" "$dir" >"$dir/env"
    echo "$url"
}

pg_stop() {
    local dir=$1 bin
    [ -d "$dir/data" ] || return 0
    bin=$(pg_bindir)
    as_owner "$dir" "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    rm -rf "$dir"
}

pg_restart() {
    local dir=$1 bin
    bin=$(pg_bindir)
    as_owner "$dir" "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null
    pg_launch "$dir"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
    cmd=${1:-}
    case "$cmd" in
    start) pg_start "$2" ;;
    stop) pg_stop "$2" ;;
    restart) pg_restart "$2" ;;
    run)
        shift
        [ $# -gt 0 ] || { echo "usage: pg.sh run CMD [ARG...]" >&2; exit 2; }
        PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/pg-XXXXXX")
        trap 'pg_stop "$PG_DIR"' EXIT
        trap 'exit 130' INT TERM
        PG_URL=$(pg_start "$PG_DIR")
        export PG_URL PG_DIR
        export PG_CTL="$0"
        set +e
        "$@"
        rc=$?
        exit $rc
        ;;
    *)
        echo "usage: pg.sh run CMD [ARG...] | start DIR | stop DIR | restart DIR" >&2
        exit 2
        ;;
    esac
fi
