#!/bin/sh
# bench.sh — the kiosk's feel under Xvfb: first frame from exec with the renderer the kiosk
# picks itself, idle CPU over 30 s, frame times after taps, resident memory, and speech: its
# start after a screen change and frame times while it speaks. Prints figures (medians of
# several runs); never fails on time. Usage: bench.sh BUILD/kiosk [BASELINE/kiosk]
# With a second kiosk (or BENCH_BASELINE=path) every figure is measured for both, their runs
# taken in turn so that whatever else the machine does weighs on both alike, and printed side
# by side (the baseline first). cpu_ms is the UI thread's own CPU time for a frame (from a
# kiosk that traces it): on a busy machine the wall-clock frame time also holds the time other
# processes had the CPU.
set -u
KIOSK=${1:?kiosk binary}
BASE=${2:-${BENCH_BASELINE:-}}
IDLE_SECS=${IDLE_SECS:-30}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print "n/a" }'; }
p99() { sort -n | awk '{ v[NR] = $1 } END { if (NR) { i = int(NR * 0.99); if (i < 1) i = 1; print v[i] } else print "n/a" }'; }
field() { sed -n "s/^$1=\([0-9.]*\).*/\1/p"; }                        # field NAME <log
frame_cpu() { sed -n 's/^frame_ms=.* cpu_ms=\([0-9.]*\).*/\1/p'; }

# Everything runs inside one Xvfb server, as the kiosk would on a real display.
if [ -z "${BENCH_INSIDE_X:-}" ]; then
    BENCH_INSIDE_X=1 exec xvfb-run -a -s "-screen 0 1080x1920x24" sh "$0" "$KIOSK" ${BASE:+"$BASE"}
fi

# The kiosks to measure: k0 the baseline (when given), k1 this one.
if [ -n "$BASE" ]; then KS="0 1"; else KS="1"; fi
kpath() { if [ "$1" = 0 ]; then echo "$BASE"; else echo "$KIOSK"; fi; }

# row LABEL TARGET FILE-STEM REDUCER: one line, a figure for each kiosk.
row() {
    label=$1 target=$2 stem=$3 how=$4 line=""
    for k in $KS; do
        v=$($how <"$OUT/$stem.$k")
        n=$(wc -l <"$OUT/$stem.$k")
        line="$line $(printf '%10s' "$v") (n=$n)"
    done
    printf '  %-46s%s   %s\n' "$label" "$line" "$target"
}

printf 'quit\n' >"$OUT/quit.script"
# A resident's journey by taps and typing, every frame timed.
cat >"$OUT/taps.script" <<'SCRIPT'
tap #lang-en
type my landlord wants me out and i cant pay the rent
tap #next
tap #yes
wait 500
tap #start-again
tap #confirm-yes
tap #lang-cy
type dw i angen help efo fy mudd-daliadau
tap #next
quit
SCRIPT
# Speech: each step sleeps in real time so that every screen's phrase starts before the next.
cat >"$OUT/speech.script" <<'SCRIPT'
sleep 600
tap #lang-en
sleep 500
type my landlord wants me out and i cant pay the rent
sleep 300
tap #next
sleep 500
tap #yes
sleep 500
tap #skip
sleep 500
tap #consent-no
sleep 500
tap #finish
sleep 500
tap #start-again
sleep 500
tap #lang-cy
sleep 500
key Tab
sleep 300
key Tab
sleep 300
key Tab
sleep 300
tap #know
sleep 500
tap #back
sleep 500
quit
SCRIPT

# bench_one: every figure for the renderer the environment selects.
bench_one() {
    for k in $KS; do : >"$OUT/first.$k"; : >"$OUT/frames.$k"; : >"$OUT/fcpu.$k"; done
    # 1. First frame, five cold starts each (quit right after the first frame).
    for i in 1 2 3 4 5; do
        for k in $KS; do
            "$(kpath "$k")" --size 1080x1920 --trace --script "$OUT/quit.script" 2>&1 |
                field first_frame_ms >>"$OUT/first.$k"
        done
    done
    row "first frame (ms from exec, median)" "target <= 150" first median
    # 2. Frame times after taps and typing, three journeys each.
    for i in 1 2 3; do
        for k in $KS; do
            "$(kpath "$k")" --size 1080x1920 --trace --script "$OUT/taps.script" >"$OUT/taps.log" 2>&1 ||
                echo "  (kiosk $k: the journey stopped: $(grep -m1 'kiosk:' "$OUT/taps.log"))"
            field frame_ms <"$OUT/taps.log" >>"$OUT/frames.$k"
            frame_cpu <"$OUT/taps.log" >>"$OUT/fcpu.$k"
        done
    done
    row "frame time after input (ms, p99)" "target < 16" frames p99
    row "frame time after input (ms, median)" "" frames median
    row "frame CPU after input (ms, p99)" "" fcpu p99
    row "frame CPU after input (ms, median)" "" fcpu median
    # 3. Idle: the real event loop with nobody touching it.
    for k in $KS; do
        "$(kpath "$k")" --size 1080x1920 >/dev/null 2>&1 &
        pid=$!
        sleep 2
        t0=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
        sleep "$IDLE_SECS"
        t1=$(awk '{ print $14 + $15 }' "/proc/$pid/stat")
        rss=$(awk '/^VmRSS:/ { print $2 }' "/proc/$pid/status")
        hwm=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status")
        kill "$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
        hz=$(getconf CLK_TCK)
        awk -v a="$t0" -v b="$t1" -v hz="$hz" -v s="$IDLE_SECS" 'BEGIN { printf "%.2f%%\n", 100 * (b - a) / hz / s }' >"$OUT/idle.$k"
        echo "$rss kB" >"$OUT/rss.$k"
        echo "$hwm kB" >"$OUT/hwm.$k"
    done
    row "idle CPU over ${IDLE_SECS} s" "target < 1%" idle cat
    row "resident memory (idle)" "target < 80 MB" rss cat
    row "resident memory (peak)" "" hwm cat
}

# 4. Speech: the time from a screen change to its first sound (to the sound device: SDL's
#    dummy driver here, which plays at real speed), and frame times while it speaks.
speech_bench() {
    for k in $KS; do : >"$OUT/sstart.$k"; : >"$OUT/sfirst.$k"; : >"$OUT/sframes.$k"; : >"$OUT/scpu.$k"; done
    for i in 1 2 3; do
        for k in $KS; do
            SDL_AUDIODRIVER=dummy "$(kpath "$k")" --size 1080x1920 --speech --trace \
                --script "$OUT/speech.script" >"$OUT/speech.log" 2>&1 ||
                echo "  (kiosk $k: the speech journey stopped: $(grep -m1 'kiosk:' "$OUT/speech.log"))"
            # the first phrase of a run also waits for espeak-ng to load (on its own thread)
            field speech_start_ms <"$OUT/speech.log" | head -1 >>"$OUT/sfirst.$k"
            field speech_start_ms <"$OUT/speech.log" | sed 1d >>"$OUT/sstart.$k"
            field frame_ms <"$OUT/speech.log" >>"$OUT/sframes.$k"
            frame_cpu <"$OUT/speech.log" >>"$OUT/scpu.$k"
        done
    done
    row "speech start after a screen change (ms, median)" "target <= 150" sstart median
    row "speech start after a screen change (ms, p99)" "" sstart p99
    row "speech start, first phrase of a run (ms, median)" "" sfirst median
    row "frame time with speech on (ms, p99)" "target < 16" sframes p99
    row "frame time with speech on (ms, median)" "" sframes median
    row "frame CPU with speech on (ms, p99)" "" scpu p99
}

if [ -n "$BASE" ]; then
    echo "each figure: $BASE (baseline), then $KIOSK"
fi
echo "kiosk, the renderer it picks itself (no environment variable; here SDL's software renderer,"
echo "as on a kiosk PC without a GPU):"
bench_one
speech_bench
echo "kiosk, SDL's accelerated renderer forced (SDL_RENDER_DRIVER=opengl: Mesa's llvmpipe here):"
SDL_RENDER_DRIVER=opengl bench_one
