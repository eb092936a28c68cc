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
pids=""
broken=0
cleanup() {
    for p in $pids; do kill "$p" 2>/dev/null; done
    for p in $pids; do wait "$p" 2>/dev/null; done
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

# hubd_start: hubd on OUT/hub.db on a free port; sets HPID and HPORT.
hubd_start() {
    : >"$OUT/hubd.out"
    "$HUBD" --db "$OUT/hub.db" --seed "$SEED" --port 0 >"$OUT/hubd.out" \
        2>>"$OUT/hubd.err" &
    HPID=$!
    pids="$pids $HPID"
    HPORT=$(wait_line "$OUT/hubd.out" 'hubd listening on') ||
        { echo "bench-sync-kiosk: hubd did not start"; cat "$OUT/hubd.err"; exit 1; }
}

hubd_stop() {
    kill "$HPID" 2>/dev/null
    wait "$HPID" 2>/dev/null
}

# A script of n residents, each from the welcome screen to the result screen and back.
script() { # script N
    i=0
    while [ "$i" -lt "$1" ]; do
        cat <<'S'
tap #lang-en
type my landlord wants me out
tap #next
tap #yes
tap #skip
tap #consent-yes
tap #finish
tap #done
S
        i=$((i + 1))
    done
    echo quit
}

# yes_to_result LOG: frame_ms of each first frame on the result (or urgent) screen, that is the
# frame right after the resident's last tap; ticket_ms LOG: when each ticket settled.
yes_to_result() {
    awk '/^frame_ms=/ { ms = substr($1, 10); scr = substr($2, 8)
             if ((scr == "result" || scr == "urgent") && prev != "result" && prev != "urgent")
                 print ms
             prev = scr }' "$1"
}
ticket_ms() { sed -n 's/^ticket_ms=\([0-9.]*\) from=.*/\1/p' "$1"; }

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
        if ! timeout 300 "$KIOSK" --size 1080x1920 --server "http://127.0.0.1:$2" \
            --token "$KTOK" --data "$3" --trace --script "$OUT/$1.script" >"$log" 2>&1; then
            echo "bench-sync-kiosk: $1: the kiosk failed:"
            tail -5 "$log"
            broken=1
        fi
        yes_to_result "$log" >>"$OUT/$1.yes"
        ticket_ms "$log" >>"$OUT/$1.ticket"
        sed -n 's/^ticket_ms=[0-9.]* from=\([a-z]*\)$/\1/p' "$log" >>"$OUT/$1.from"
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

summary=""
missed=""
KTOK=$("$HUBD" --db "$OUT/hub.db" --seed "$SEED" token kiosk bench-kiosk)
RTOK=$("$HUBD" --db "$OUT/hub.db" token reception bench-reception)
echo "kiosk sync: Yes -> result screen, $JOURNEYS residents a condition, $PER_RUN a kiosk process"
echo "(${BENCH_INSIDE_X:+Xvfb}${SDL_VIDEODRIVER:-}, SDL_RENDER_DRIVER=software, 1080x1920;" \
    "real hubd on loopback):"

# hubd up: every check-in reaches the board once.
hubd_start
bench up "$HPORT" "$OUT/up-data"
on=$(curl -fsS -m 10 -H "Authorization: Bearer $RTOK" \
    "http://127.0.0.1:$HPORT/api/v1/checkins?status=waiting" |
    grep -o '"id":"[^"]*"' | wc -l | tr -d ' ')
if [ "$on" != "$JOURNEYS" ]; then
    echo "bench-sync-kiosk: up: $on check-ins on hubd's board, want $JOURNEYS"
    broken=1
fi
dport=$HPORT
hubd_stop

# hubd down: nothing listens on the port; every check-in waits in kiosk.db.
bench down "$dport" "$OUT/down-data"
left=$(sqlite3 "$OUT/down-data/kiosk.db" "select count(*) from checkins where state=0")
if [ "$left" != "$JOURNEYS" ]; then
    echo "bench-sync-kiosk: down: $left check-ins pending in kiosk.db, want $JOURNEYS"
    broken=1
fi

# hubd stalled: the proxy reads each request and never answers.
hubd_start
echo stall >"$OUT/mode"
"$PROXY" --listen 0 --upstream "$HPORT" --mode-file "$OUT/mode" >"$OUT/proxy.out" 2>&1 &
pids="$pids $!"
pport=$(wait_line "$OUT/proxy.out" 'faultproxy listening on') ||
    { echo "bench-sync-kiosk: faultproxy did not start"; exit 1; }
bench stalled "$pport" "$OUT/stall-data"
left=$(sqlite3 "$OUT/stall-data/kiosk.db" "select count(*) from checkins where state=0")
if [ "$left" != "$JOURNEYS" ]; then
    echo "bench-sync-kiosk: stalled: $left check-ins pending in kiosk.db, want $JOURNEYS"
    broken=1
fi
hubd_stop

echo "bench-sync-kiosk:$summary target_ms=$TARGET_MS${missed:+ MISSED:$missed}"
[ "$broken" = 0 ]
