#!/bin/sh
# bench.sh — the kiosk's feel under Xvfb: first frame from exec with the renderer the kiosk
# picks itself, idle CPU over 30 s, frame times after taps, resident memory, and speech: its
# start after a screen change and frame times while it speaks. Prints figures (medians of
# several runs); never fails on time. Usage: bench.sh BUILD/kiosk
set -u
KIOSK=${1:?kiosk binary}
IDLE_SECS=${IDLE_SECS:-30}
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR) print v[int((NR + 1) / 2)]; else print "n/a" }'; }
p99() { sort -n | awk '{ v[NR] = $1 } END { if (NR) { i = int(NR * 0.99); if (i < 1) i = 1; print v[i] } else print "n/a" }'; }

# Everything runs inside one Xvfb server, as the kiosk would on a real display.
if [ -z "${BENCH_INSIDE_X:-}" ]; then
    BENCH_INSIDE_X=1 exec xvfb-run -a -s "-screen 0 1080x1920x24" sh "$0" "$@"
fi

# bench_one: every figure for the renderer the environment selects.
bench_one() {
# 1. First frame, five cold starts (script: quit right after the first frame).
printf 'quit\n' >"$OUT/quit.script"
for i in 1 2 3 4 5; do
    "$KIOSK" --size 1080x1920 --trace --script "$OUT/quit.script" 2>&1 |
        sed -n 's/^first_frame_ms=\([0-9.]*\).*/\1/p'
done >"$OUT/first"
    echo "  first frame (ms from exec, median of 5)   $(median <"$OUT/first")   target <= 150"

# 2. Frame times after taps: a resident's journey by taps, every frame timed.
cat >"$OUT/taps.script" <<'SCRIPT'
tap #lang-en
type my landlord wants me out and i cant pay the rent
tap #next
tap #yes
wait 500
tap #start-again
tap #lang-cy
type dw i angen help efo fy mudd-daliadau
tap #next
quit
SCRIPT
for i in 1 2 3; do
    "$KIOSK" --size 1080x1920 --trace --script "$OUT/taps.script" 2>&1 |
        sed -n 's/^frame_ms=\([0-9.]*\).*/\1/p'
done >"$OUT/frames"
    echo "  frame time after input (ms, p99 of $(wc -l <"$OUT/frames") frames)   $(p99 <"$OUT/frames")   target < 16"
    echo "  frame time after input (ms, median)          $(median <"$OUT/frames")"

# 3. Idle: the real event loop with nobody touching it.
"$KIOSK" --size 1080x1920 >/dev/null 2>&1 &
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
    echo "  idle CPU over ${IDLE_SECS} s                  $(awk -v a="$t0" -v b="$t1" -v hz="$hz" -v s="$IDLE_SECS" 'BEGIN { printf "%.2f%%", 100 * (b - a) / hz / s }')   target < 1%"
    echo "  resident memory (idle, peak)               ${rss} kB, ${hwm} kB   target < 80 MB"
}

# 4. Speech: the time from a screen change to its first sound (to the sound device: SDL's
#    dummy driver here, which plays at real speed), and frame times while it speaks. Each step
#    sleeps in real time so that every screen's phrase starts before the next screen.
speech_bench() {
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
for i in 1 2 3; do
    SDL_AUDIODRIVER=dummy "$KIOSK" --size 1080x1920 --speech --trace --script "$OUT/speech.script" \
        >"$OUT/speech.$i.log" 2>&1
done
cat "$OUT"/speech.*.log | sed -n 's/^speech_start_ms=\([0-9.]*\).*/\1/p' >"$OUT/speech_start"
# the first phrase of a run also waits for espeak-ng to load (on its own thread)
for i in 1 2 3; do sed -n 's/^speech_start_ms=\([0-9.]*\).*/\1/p' "$OUT/speech.$i.log" | head -1; done >"$OUT/speech_first"
cat "$OUT"/speech.*.log | sed -n 's/^frame_ms=\([0-9.]*\).*/\1/p' >"$OUT/speech_frames"
    echo "  speech start after a screen change (ms, median of $(wc -l <"$OUT/speech_start"))   $(median <"$OUT/speech_start")   target <= 150"
    echo "  speech start after a screen change (ms, p99)               $(p99 <"$OUT/speech_start")"
    echo "  speech start, first phrase of a run (ms, median of 3)      $(median <"$OUT/speech_first")"
    echo "  frame time with speech on (ms, p99 of $(wc -l <"$OUT/speech_frames") frames)         $(p99 <"$OUT/speech_frames")   target < 16"
}

echo "kiosk, the renderer it picks itself (no environment variable; here SDL's software renderer,"
echo "as on a kiosk PC without a GPU):"
bench_one
speech_bench
echo "kiosk, SDL's accelerated renderer forced (SDL_RENDER_DRIVER=opengl: Mesa's llvmpipe here):"
SDL_RENDER_DRIVER=opengl bench_one
