#!/bin/sh
# kiosk_sync.sh — the real kiosk binary against a real hubd on loopback, directly and through
# the fault proxy: hubd up, down, stalled, answering 500s, garbage or cut-short answers, and a
# local store that cannot be a file. Checked through the kiosk's dump tree and --trace, hubd's
# reception board and the kiosk's own kiosk.db.
# Usage: kiosk_sync.sh BUILD OUT_DIR   (BUILD holds kiosk, hubd and tests/sync/faultproxy)
set -u
B=${1:?build folder}
OUT=${2:?output folder}
KIOSK=$B/kiosk
HUBD=$B/hubd
PROXY=$B/tests/sync/faultproxy
SEED=assets/demo-hub.json
rm -rf "$OUT" && mkdir -p "$OUT"
: "${SDL_VIDEODRIVER:=offscreen}"
export SDL_VIDEODRIVER
WHO=kiosk-sync
pass=0
fail=0
pids=""
started=$(date +%s)
# shellcheck source=SCRIPTDIR/expect.sh
. "$(dirname "$0")/expect.sh"
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"

# Every process started here is stopped on the way out, whatever happens.
trap stop_all EXIT
trap 'exit 130' INT TERM

# text DUMP ID: the text of widget ID (as tests/kiosk/e2e.sh).
text() {
    [ -e "$1" ] || return 0
    sed -n "s/^{\"id\":\"$2\",\"role\":\"[^\"]*\",\"text\":\"\\([^\"]*\\)\".*/\\1/p" "$1"
}

screen() {
    [ -e "$1" ] || return 0
    sed -n 's/^{"screen":"\([a-z]*\)".*/\1/p' "$1"
}

# kiosk NAME PORT DATA SCRIPT-TEXT: the kiosk against http://127.0.0.1:PORT, its store in DATA
# (kiosk_run); stdout and stderr in OUT/NAME.log. 1, counted as a fail, on a bad exit.
kiosk() {
    printf '%s\n' "$4" >"$OUT/$1.script"
    kiosk_run 120 "$2" "$3" "$OUT/$1.script" "$OUT/$1.log" || { fail=$((fail + 1)); return 1; }
}

# The worker the matcher must pick for journey_steps ("my landlord wants me out": eviction) from
# the demo directory with nobody waiting: Sian and Gareth list eviction, cover housing, speak
# English and are available; Sian comes first in the directory (tests/kiosk/e2e.sh, HOUSING).
HOUSING='Sian Evans'

# journey DUMP: one resident, from the welcome screen to the result screen, dumped to DUMP.
journey() {
    journey_steps
    echo "dump $1"
}

# exactly_once NAME BOARD DATA N: DATA's N check-ins are each on BOARD exactly once.
exactly_once() {
    db_ids "$3" >"$OUT/$1.db-ids"
    board_ids "$2" >"$OUT/$1.board-ids"
    expect_eq "$1: check-ins in kiosk.db" "$(wc -l <"$OUT/$1.db-ids" | tr -d ' ')" "$4"
    dup=$(uniq -d "$OUT/$1.board-ids" | wc -l | tr -d ' ')
    expect_eq "$1: no check-in twice on the board" "$dup" 0
    on=$(grep -cxF -f "$OUT/$1.db-ids" "$OUT/$1.board-ids")
    expect_eq "$1: every check-in on the board once" "$on" "$4"
    expect_eq "$1: nothing left pending" "$(pending "$3")" 0
}

# 1. hubd up: the result screen shows the kiosk's ticket, adopted by hubd: the one on the board.
hubd_init up
if hubd_start up; then
    kiosk up "$HPORT" "$OUT/up-data" "$(journey "$OUT/up.json")
quit"
    board "$HPORT" "$OUT/up-board.json"
    id=$(board_ids "$OUT/up-board.json")
    expect_eq "up: result screen" "$(screen "$OUT/up.json")" result
    expect_eq "up: one check-in on the board" "$(echo "$id" | grep -c .)" 1
    bt=$(board_ticket "$OUT/up-board.json" "$id")
    expect_set "up: the board has a ticket" "$bt"
    expect_eq "up: one ticket, the kiosk's on screen adopted by hubd" \
        "$(text "$OUT/up.json" ticket)" "$bt"
    expect_eq "up: the kiosk issued it" "$bt" H-A01
    expect_eq "up: first in line reads You're next" "$(text "$OUT/up.json" ahead)" "You're next"
    expect_eq "up: the housing worker (hubd's directory, nobody waiting)" \
        "$(text "$OUT/up.json" worker-name)" "$HOUSING"
    expect_eq "up: trace says from hubd" "$(tickets_from "$OUT/up.log")" hubd
    expect_eq "up: the board's check-in is the kiosk's" "$(db_ids "$OUT/up-data")" "$id"
    expect_eq "up: acknowledged in kiosk.db" "$(pending "$OUT/up-data")" 0
    hubd_stop
else
    fail=$((fail + 1))
fi

# 2. hubd down (nothing listening): the kiosk's ticket at once, the check-in pending in
#    kiosk.db; when hubd is back on that port, a new kiosk process sends it, and its own, once.
hubd_init down
if hubd_start down; then
    dport=$HPORT
    hubd_stop # the port is free again: nothing listens on it now
    kiosk down1 "$dport" "$OUT/down-data" "$(journey "$OUT/down1.json")
quit"
    expect_eq "down: result screen" "$(screen "$OUT/down1.json")" result
    expect_eq "down: the kiosk's own ticket" "$(text "$OUT/down1.json" ticket)" H-A01
    expect_eq "down: reception will tell them how long" "$(text "$OUT/down1.json" wait)" \
        "Reception will tell you how long"
    expect_eq "down: the housing worker (the demo directory)" "$(text "$OUT/down1.json" worker-name)" \
        "$HOUSING"
    expect_eq "down: trace says from kiosk" "$(tickets_from "$OUT/down1.log")" kiosk
    expect_lt "down: ticket settles at once (ms)" "$(tickets_ms "$OUT/down1.log")" 1500
    expect_eq "down: pending in kiosk.db" "$(pending "$OUT/down-data")" 1
    if hubd_start down "$dport"; then
        kiosk down2 "$dport" "$OUT/down-data" "$(journey "$OUT/down2.json")
quit"
        expect_eq "down, then up: result screen" "$(screen "$OUT/down2.json")" result
        board "$dport" "$OUT/down-board.json"
        expect_eq "down, then up: two check-ins on the board" \
            "$(board_ids "$OUT/down-board.json" | grep -c .)" 2
        exactly_once "down, then up" "$OUT/down-board.json" "$OUT/down-data" 2
        expect_grep "down, then up: reception sees the one ticket the resident holds" \
            "$OUT/down-board.json" '"ticket":"H-A01","kiosk_ticket":null'
        expect_eq "down, then up: a new kiosk process numbers on" "$(text "$OUT/down2.json" ticket)" \
            H-A02
        hubd_stop
    else
        fail=$((fail + 1))
    fi
else
    fail=$((fail + 1))
fi

# 3. Through the fault proxy: hubd stalled, answering 500, garbage, or cut short. Two residents
#    each: the result screen at once, no frame held up by the network, the kiosk's own ticket
#    after the one-second wait (at once when the connection fails). Then the proxy passes again
#    and a new kiosk process sends them, and a third resident's, each exactly once.
hubd_init proxy
MODE=$OUT/proxy.mode
total=0
if hubd_start proxy; then
    echo pass >"$MODE"
    proxy_start "$MODE"
    pport=$PPORT
    expect_set "proxy started" "$pport"
    for mode in stall 500 garbage truncated; do
        [ -n "$pport" ] || break
        data=$OUT/$mode-data
        echo "$mode" >"$MODE"
        kiosk "$mode-1" "$pport" "$data" "$(journey "$OUT/$mode-a.json")
$AGAIN
$(journey "$OUT/$mode-b.json")
quit"
        expect_eq "$mode: first result screen" "$(screen "$OUT/$mode-a.json")" result
        expect_eq "$mode: second result screen" "$(screen "$OUT/$mode-b.json")" result
        expect_eq "$mode: the kiosk's own tickets" \
            "$(text "$OUT/$mode-a.json" ticket) $(text "$OUT/$mode-b.json" ticket)" "H-A01 H-A02"
        expect_eq "$mode: trace says from kiosk" "$(tickets_from "$OUT/$mode-1.log")" \
            "kiosk kiosk"
        expect_ge "$mode: frames traced" "$(frames "$OUT/$mode-1.log")" 10
        expect_lt "$mode: slowest frame after input (ms)" "$(max_frame "$OUT/$mode-1.log")" 250
        for t in $(tickets_ms "$OUT/$mode-1.log"); do
            case $mode in
            stall) # no answer at all yet: the one-second wait
                expect_between "$mode: ticket after the wait (ms)" "$t" 950 2000 ;;
            *) # a failed answer: the sync backs off, so no waiting for hubd's ticket
                expect_lt "$mode: ticket without the wait (ms)" "$t" 900 ;;
            esac
        done
        expect_eq "$mode: both pending in kiosk.db" "$(pending "$data")" 2
        if [ "$mode" != truncated ]; then # truncated: hubd took them, the answers were cut
            board "$HPORT" "$OUT/$mode-board0.json"
            expect_eq "$mode: nothing got through to hubd" \
                "$(board_ids "$OUT/$mode-board0.json" | grep -c .)" "$total"
        fi
        echo pass >"$MODE"
        kiosk "$mode-2" "$pport" "$data" "$(journey "$OUT/$mode-c.json")
quit"
        expect_eq "$mode, then pass: result screen" "$(screen "$OUT/$mode-c.json")" result
        expect_eq "$mode, then pass: trace says from hubd" "$(tickets_from "$OUT/$mode-2.log")" hubd
        total=$((total + 3))
        board "$HPORT" "$OUT/$mode-board.json"
        exactly_once "$mode, then pass" "$OUT/$mode-board.json" "$data" 3
        expect_eq "$mode, then pass: board holds every check-in so far" \
            "$(board_ids "$OUT/$mode-board.json" | grep -c .)" "$total"
    done
    hubd_stop
else
    fail=$((fail + 1))
fi

# 4. --data under a regular file: the store cannot be a file. The kiosk says so loudly, still
#    names a worker, and the check-in still reaches hubd (the store carries on in memory).
hubd_init file
if hubd_start file; then
    : >"$OUT/afile"
    kiosk file "$HPORT" "$OUT/afile/kiosk" "$(journey "$OUT/file.json")
quit"
    expect_eq "no store file: result screen" "$(screen "$OUT/file.json")" result
    expect_eq "no store file: the housing worker" "$(text "$OUT/file.json" worker-name)" "$HOUSING"
    expect_grep "no store file: said loudly" "$OUT/file.log" 'LOCAL STORE'
    board "$HPORT" "$OUT/file-board.json"
    id=$(board_ids "$OUT/file-board.json")
    expect_eq "no store file: the check-in reached hubd" "$(echo "$id" | grep -c .)" 1
    bt=$(board_ticket "$OUT/file-board.json" "$id")
    expect_set "no store file: hubd gave a ticket" "$bt"
    expect_eq "no store file: the one ticket on screen and board" "$(text "$OUT/file.json" ticket)" \
        "$bt"
    hubd_stop
else
    fail=$((fail + 1))
fi

secs=$(($(date +%s) - started))
echo "kiosk sync e2e: $pass checks passed, $fail failed in $secs s (logs in $OUT)"
[ "$fail" = 0 ]
