# lib.sh — what the kiosk sync test and bench share (sourced by tests/sync/kiosk_sync.sh and
# tests/sync/bench_kiosk.sh): hubd and the fault proxy on port 0, the real kiosk with --trace,
# what its trace says, hubd's board and the kiosk's kiosk.db.
# The sourcing script sets KIOSK, HUBD, PROXY, SEED, OUT, WHO (the start of its messages) and
# pids (every process started here is added to it, for stop_all).
# shellcheck shell=sh disable=SC2034 # KTOK, RTOK, HPORT, PPORT, AGAIN are for the sourcing script

# stop_all: stops every process started here; for the script's EXIT trap.
stop_all() {
    for p in $pids; do kill "$p" 2>/dev/null; done
    for p in $pids; do wait "$p" 2>/dev/null; done
}

# wait_line FILE PREFIX: waits (up to 10 s) for "PREFIX N" in FILE and prints N.
wait_line() {
    i=0
    while [ $i -lt 100 ]; do
        n=$(sed -n "s/^$2 \\([0-9]*\\)\$/\\1/p" "$1")
        [ -n "$n" ] && { echo "$n"; return 0; }
        sleep 0.1
        i=$((i + 1))
    done
    return 1
}

# hubd_init NAME: a new hubd database OUT/NAME.db with the demo hub; sets KTOK (kiosk) and
# RTOK (reception).
hubd_init() {
    KTOK=$("$HUBD" --db "$OUT/$1.db" --seed "$SEED" token kiosk "kiosk-$1")
    RTOK=$("$HUBD" --db "$OUT/$1.db" token reception "reception-$1")
}

# hubd_start NAME [PORT]: starts hubd on OUT/NAME.db (PORT, or a free one); sets HPID, HPORT.
# 1 when it did not come up (said on stdout).
hubd_start() {
    : >"$OUT/$1.hubd.out"
    "$HUBD" --db "$OUT/$1.db" --seed "$SEED" --port "${2:-0}" >"$OUT/$1.hubd.out" \
        2>>"$OUT/$1.hubd.err" &
    HPID=$!
    pids="$pids $HPID"
    HPORT=$(wait_line "$OUT/$1.hubd.out" 'hubd listening on')
    [ -n "$HPORT" ] || { echo "$WHO: hubd $1 did not start:"; tail -3 "$OUT/$1.hubd.err"; }
    [ -n "$HPORT" ]
}

hubd_stop() {
    kill "$HPID" 2>/dev/null
    wait "$HPID" 2>/dev/null
}

# proxy_start MODE-FILE: the fault proxy in front of hubd (HPORT), its mode read from MODE-FILE;
# sets PPORT (empty, and 1, when it did not come up).
proxy_start() {
    "$PROXY" --listen 0 --upstream "$HPORT" --mode-file "$1" >"$OUT/proxy.out" \
        2>"$OUT/proxy.err" &
    pids="$pids $!"
    PPORT=$(wait_line "$OUT/proxy.out" 'faultproxy listening on')
}

# kiosk_run SECS PORT DATA SCRIPT LOG: the kiosk (1080x1920) with KTOK and --trace against
# http://127.0.0.1:PORT, its store in DATA, playing SCRIPT for at most SECS s; stdout and stderr
# in LOG. 1 on a bad exit (said on stdout, with LOG's last lines).
kiosk_run() {
    if ! timeout "$1" "$KIOSK" --size 1080x1920 --server "http://127.0.0.1:$2" --token "$KTOK" \
        --data "$3" --trace --script "$4" >"$5" 2>&1; then
        echo "$WHO: the kiosk failed, see $5:"
        tail -5 "$5"
        return 1
    fi
}

# journey_steps: one resident's taps, from the welcome screen to the result screen; AGAIN: from
# the result screen back to the welcome screen, for the next resident.
journey_steps() {
    cat <<'S'
tap #lang-en
type my landlord wants me out
tap #next
tap #yes
tap #skip
tap #consent-yes
S
}
AGAIN='tap #finish
tap #done'

# board PORT FILE: reception's live board into FILE; board_ids FILE: its check-in ids, one a
# line, sorted.
board() {
    curl -fsS -m 10 -H "Authorization: Bearer $RTOK" \
        "http://127.0.0.1:$1/api/v1/checkins?status=waiting" >"$2" || echo '{}' >"$2"
}
board_ids() {
    grep -o '"id":"[^"]*"' "$1" | sed 's/"id":"\(.*\)"/\1/' | sort
}
# board_ticket FILE ID: the ticket hubd gave check-in ID.
board_ticket() {
    sed 's/},{/}\n{/g' "$1" | grep -F "\"id\":\"$2\"" | sed -n 's/.*"ticket":"\([^"]*\)".*/\1/p'
}

# db_ids DATA: every check-in id in DATA/kiosk.db; pending DATA: how many wait for hubd.
db_ids() {
    sqlite3 "$1/kiosk.db" "select id from checkins" 2>/dev/null | sort
}
pending() {
    sqlite3 "$1/kiosk.db" "select count(*) from checkins where state=0" 2>/dev/null
}

# The trace LOG: when each ticket settled (ms after Yes), where each came from (hubd or kiosk,
# one a line), the slowest frame after input, and how many frames.
tickets_ms() { sed -n 's/^queue_ms=\([0-9.]*\) from=.*/\1/p' "$1"; }
ticket_sources() { sed -n 's/^queue_ms=[0-9.]* from=\([a-z]*\)$/\1/p' "$1"; }
tickets_from() { ticket_sources "$1" | tr '\n' ' ' | sed 's/ $//'; }
max_frame() {
    sed -n 's/^frame_ms=\([0-9.]*\) .*/\1/p' "$1" |
        awk 'BEGIN { m = "" } { if (m == "" || $1 + 0 > m + 0) m = $1 } END { print m }'
}
frames() { grep -c '^frame_ms=' "$1"; }
