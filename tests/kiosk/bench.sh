#!/bin/sh
# bench.sh — the kiosk's feel under Xvfb: first frame from exec, idle CPU over 30 s, frame
# times after taps, resident memory. Prints figures (medians of several runs); never fails on
# time. Usage: bench.sh BUILD/kiosk
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

echo "kiosk, SDL's software renderer (SDL_RENDER_DRIVER=software SDL_FRAMEBUFFER_ACCELERATION=0),"
echo "as on a kiosk PC without a GPU:"
SDL_RENDER_DRIVER=software SDL_FRAMEBUFFER_ACCELERATION=0 bench_one
echo "kiosk, SDL's default accelerated renderer (here OpenGL on Mesa's llvmpipe: software GL):"
bench_one
