#!/bin/sh
# bench_kiosk.sh — how long a resident waits between pressing Yes (the last tap before the
# result screen) and seeing the result screen, with hubd up, down (nothing listening) and
# stalled (the fault proxy holds every request): the --trace frame_ms of the first frame on the
# result screen, and when hubd's ticket (or the kiosk's own) settles. Real kiosk, real hubd,
# under Xvfb with SDL's software renderer as on a kiosk PC without a GPU. Prints figures; a
# missed target prints MISSED; fails only when a journey breaks or a check-in goes missing.
# Usage: bench_kiosk.sh BUILD   (BUILD holds kiosk, hubd and tests/sync/faultproxy)
# Environment: JOURNEYS (default 15 per condition), PER_RUN (journeys per kiosk process, 5).
set -u
B=${1:?build folder}
KIOSK=$B/kiosk
HUBD=$B/hubd
PROXY=$B/tests/sync/faultproxy
SEED=assets/demo-hub.json
JOURNEYS=${JOURNEYS:-15}
PER_RUN=${PER_RUN:-5}
TARGET_MS=100

# Everything runs inside one Xvfb server, as tests/kiosk/bench.sh does; offscreen without it.
if [ -z "${BENCH_INSIDE_X:-}" ] && command -v xvfb-run >/dev/null 2>&1; then
    BENCH_INSIDE_X=1 exec xvfb-run -a -s "-screen 0 1080x1920x24" sh "$0" "$@"
fi
if [ -z "${BENCH_INSIDE_X:-}" ]; then
    echo "bench-sync-kiosk: no xvfb-run, using SDL's offscreen driver"
    SDL_VIDEODRIVER=offscreen
    export SDL_VIDEODRIVER
fi
SDL_RENDER_DRIVER=software
SDL_FRAMEBUFFER_ACCELERATION=0
export SDL_RENDER_DRIVER SDL_FRAMEBUFFER_ACCELERATION

OUT=$(mktemp -d)
WHO=bench-sync-kiosk
pids=""
broken=0
# shellcheck source=SCRIPTDIR/lib.sh
. "$(dirname "$0")/lib.sh"
cleanup() {
    stop_all
    rm -rf "$OUT"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# Nearest-rank statistics of the numbers on stdin.
stat() { # stat P (0 < P <= 100)
    sort -n | awk -v p="$1" '{ v[NR] = $1 }
        END { if (!NR) { print "n/a"; exit } i = int(NR * p / 100 + 0.999999); if (i < 1) i = 1;
              print v[i] }'
}

# A script of n residents, each from the welcome screen to the result screen and back.
script() { # script N
    i=0
    while [ "$i" -lt "$1" ]; do
        journey_steps
        echo "$AGAIN"
        i=$((i + 1))
    done
    echo quit
}

# yes_to_result LOG: frame_ms of each first frame on the result (or urgent) screen, that is the
# frame right after the resident's last tap.
yes_to_result() {
    awk '/^frame_ms=/ { ms = substr($1, 10); scr = substr($2, 8)
             if ((scr == "result" || scr == "urgent") && prev != "result" && prev != "urgent")
                 print ms
             prev = scr }' "$1"
}

# bench NAME PORT DATA: JOURNEYS residents against http://127.0.0.1:PORT, PER_RUN a process.
bench() {
    left=$JOURNEYS
    run=0
    : >"$OUT/$1.yes"
    : >"$OUT/$1.ticket"
    : >"$OUT/$1.from"
    while [ "$left" -gt 0 ]; do
        n=$PER_RUN
        [ "$n" -gt "$left" ] && n=$left
        run=$((run + 1))
        script "$n" >"$OUT/$1.script"
        log=$OUT/$1-$run.log
        kiosk_run 300 "$2" "$3" "$OUT/$1.script" "$log" || broken=1
        yes_to_result "$log" >>"$OUT/$1.yes"
        tickets_ms "$log" >>"$OUT/$1.ticket"
        ticket_sources "$log" >>"$OUT/$1.from"
        left=$((left - n))
    done
    got=$(wc -l <"$OUT/$1.yes" | tr -d ' ')
    if [ "$got" != "$JOURNEYS" ]; then
        echo "bench-sync-kiosk: $1: $got of $JOURNEYS journeys reached the result screen"
        broken=1
    fi
    p50=$(stat 50 <"$OUT/$1.yes")
    p95=$(stat 95 <"$OUT/$1.yes")
    max=$(stat 100 <"$OUT/$1.yes")
    tk=$(stat 50 <"$OUT/$1.ticket")
    hubd_n=$(grep -cx hubd "$OUT/$1.from")
    miss=$(awk -v m="$max" -v t="$TARGET_MS" \
        'BEGIN { print (m == "n/a" || m + 0 >= t) ? "MISSED" : "ok" }')
    printf '  %-8s Yes -> result (ms, %d journeys)  median %s  p95 %s  max %s   target < %d %s\n' \
        "$1" "$got" "$p50" "$p95" "$max" "$TARGET_MS" "$miss"
    printf '  %-8s ticket settled (ms after Yes, median)  %s   from hubd %d of %d\n' \
        "$1" "$tk" "$hubd_n" "$got"
    summary="$summary $1_p50=$p50 $1_p95=$p95 $1_max=$max $1_ticket_p50=$tk"
    [ "$miss" = ok ] || missed="$missed $1"
}

# all_pending NAME DATA: every one of the JOURNEYS check-ins still waits in DATA/kiosk.db.
all_pending() {
    left=$(pending "$2")
    if [ "$left" != "$JOURNEYS" ]; then
        echo "bench-sync-kiosk: $1: $left check-ins pending in kiosk.db, want $JOURNEYS"
        broken=1
    fi
}

summary=""
missed=""
hubd_init hub
echo "kiosk sync: Yes -> result screen, $JOURNEYS residents a condition, $PER_RUN a kiosk process"
echo "(${BENCH_INSIDE_X:+Xvfb}${SDL_VIDEODRIVER:-}, SDL_RENDER_DRIVER=software, 1080x1920;" \
    "real hubd on loopback):"

# hubd up: every check-in reaches the board once.
hubd_start hub || exit 1
bench up "$HPORT" "$OUT/up-data"
board "$HPORT" "$OUT/up-board.json"
on=$(board_ids "$OUT/up-board.json" | grep -c .)
if [ "$on" != "$JOURNEYS" ]; then
    echo "bench-sync-kiosk: up: $on check-ins on hubd's board, want $JOURNEYS"
    broken=1
fi
dport=$HPORT
hubd_stop

# hubd down: nothing listens on the port; every check-in waits in kiosk.db.
bench down "$dport" "$OUT/down-data"
all_pending down "$OUT/down-data"

# hubd stalled: the proxy reads each request and never answers.
hubd_start hub || exit 1
echo stall >"$OUT/mode"
proxy_start "$OUT/mode" || { echo "bench-sync-kiosk: faultproxy did not start"; exit 1; }
bench stalled "$PPORT" "$OUT/stall-data"
all_pending stalled "$OUT/stall-data"
hubd_stop

echo "bench-sync-kiosk:$summary target_ms=$TARGET_MS${missed:+ MISSED:$missed}"
[ "$broken" = 0 ]
