#!/bin/sh
# e2e_feedback.sh — the real kiosk against a real hubd: the hub's figures of last month on the
# welcome screen (in both languages, at 1080x1920 and 1920x1080, screenshots kept), none from a
# hub without figures nor while offline; "Did you get what you came for?" tapped in Welsh and in
# English, thanked and said aloud in that language, each answer in hubd exactly once across a
# second start of the kiosk.
# Usage: e2e_feedback.sh BUILD OUT_DIR   (BUILD holds kiosk and hubd)
set -u
B=${1:?build folder}
OUT=${2:?output folder}
KIOSK=$B/kiosk
HUBD=$B/hubd
SEED=assets/demo-hub.json
rm -rf "$OUT" && mkdir -p "$OUT/screens"
: "${SDL_VIDEODRIVER:=offscreen}"
export SDL_VIDEODRIVER
WHO=e2e-feedback
pass=0
fail=0
pids=""
# shellcheck source=SCRIPTDIR/../sync/expect.sh
. "$(dirname "$0")/../sync/expect.sh"
# shellcheck source=SCRIPTDIR/../sync/lib.sh
. "$(dirname "$0")/../sync/lib.sh"
trap stop_all EXIT
trap 'exit 130' INT TERM

text() {
    [ -e "$1" ] || return 0
    sed -n "s/^{\"id\":\"$2\",\"role\":\"[^\"]*\",\"text\":\"\\([^\"]*\\)\".*/\\1/p" "$1"
}

# run NAME SIZE PORT SCRIPT-TEXT: the kiosk (speech on, to a WAV) against 127.0.0.1:PORT with
# its store in OUT/data; its log in OUT/NAME.log.
run() {
    printf '%s\n' "$4" >"$OUT/$1.script"
    if ! timeout 120 "$KIOSK" --size "$2" --server "http://127.0.0.1:$3" --token "$KTOK" \
        --data "$OUT/data" --trace --speech --audio-out "$OUT/$1.wav" \
        --script "$OUT/$1.script" >"$OUT/$1.log" 2>&1; then
        echo "$WHO: $1: the kiosk failed, see $OUT/$1.log"
        tail -5 "$OUT/$1.log"
        fail=$((fail + 1))
    fi
}

# post DOMAIN: one check-in for DOMAIN straight to hubd, as a kiosk sends it.
post() {
    id=$(cat /proc/sys/kernel/random/uuid)
    curl -s -o /dev/null -w '%{http_code}\n' -H "Authorization: Bearer $KTOK" \
        -H 'Content-Type: application/json' "http://127.0.0.1:$HPORT/api/v1/checkins" \
        -d "{\"id\":\"$id\",\"created_at\":\"2026-01-01T10:00:00Z\",\"lang\":\"en\",\"needs\":[],\
\"domains\":[\"$1\"],\"urgent\":false,\"worker_id\":null,\"chosen_by\":\"reception\",\
\"consent\":false}" >>"$OUT/posts"
}

# 1. A hub without a whole month of figures: no line.
hubd_init hub
hubd_start hub || exit 1
run none 1080x1920 "$HPORT" "sleep 1500
dump $OUT/none.json
quit"
expect_eq "no figures: no line" "$(grep -c '"id":"community-' "$OUT/none.json")" 0

# 2. Last month: 7 came in about money, 5 about somewhere to live, 2 about health (withheld).
for d in benefits benefits benefits benefits benefits benefits benefits housing housing housing \
    housing housing health health; do post "$d"; done
expect_eq "check-ins posted" "$(grep -c '^20[01]$' "$OUT/posts")" 14
hubd_stop
mid=$(($(date -d "$(date +%Y-%m-01) -15 days" +%s) * 1000))
# the middle of last month, wherever hubd reads an arrival's time from
sqlite3 "$OUT/hub.db" "UPDATE events SET at = $mid WHERE kind = 'arrived';
UPDATE checkins SET received_at = $mid, created_at = $mid"
hubd_start hub || exit 1
curl -s "http://127.0.0.1:$HPORT/api/v1/community" >"$OUT/community.json"
expect_grep "hubd shows last month's money figure" "$OUT/community.json" '"benefits":7'
expect_grep "hubd withholds health" "$OUT/community.json" '"health":null'

for size in 1080x1920 1920x1080; do
    run "w-$size" "$size" "$HPORT" "sleep 1500
dump $OUT/w-$size.json
shot $OUT/screens/welcome-figures-$size.png
tap #feedback-cy-partly
sleep 300
dump $OUT/thanks-cy-$size.json
shot $OUT/screens/welcome-thanks-cy-$size.png
wait 7000
tap #feedback-en-yes
sleep 300
dump $OUT/thanks-en-$size.json
shot $OUT/screens/welcome-thanks-en-$size.png
sleep 1500
quit"
    expect_eq "$size: the line in English" "$(text "$OUT/w-$size.json" community-en)" \
        "Last month 7 neighbours came in about money and bills"
    expect_eq "$size: the line in Welsh" "$(text "$OUT/w-$size.json" community-cy)" \
        "Y mis diwethaf, daeth 7 o gymdogion i mewn am arian a biliau"
    expect_eq "$size: never the withheld figure" \
        "$(grep -c 'health and wellbeing' "$OUT/w-$size.json")" 0
    expect_eq "$size: thanked in Welsh" "$(text "$OUT/thanks-cy-$size.json" feedback-thanks)" \
        "Diolch am ddweud wrthon ni."
    expect_eq "$size: thanked in English" "$(text "$OUT/thanks-en-$size.json" feedback-thanks)" \
        "Thank you for telling us."
    expect_grep "$size: the thanks said in Welsh" "$OUT/w-$size.log" \
        'speak lang=cy "Diolch am ddweud wrthon ni."'
    expect_grep "$size: the thanks said in English" "$OUT/w-$size.log" \
        'speak lang=en "Thank you for telling us."'
    expect_grep "$size: the figure said for the ear" "$OUT/w-$size.log" \
        'speak lang=cy .*daeth saith o gymdogion'
    expect_eq "$size: still the welcome screen" \
        "$(sed -n 's/^{"screen":"\([a-z]*\)".*/\1/p' "$OUT/thanks-en-$size.json")" welcome
done

# 3. Each answer in hubd once; a second start of the kiosk sends nothing again.
run again 1080x1920 "$HPORT" "sleep 1500
quit"
rows() { sqlite3 "$OUT/hub.db" "SELECT count(*) FROM feedback WHERE answer = '$1'"; }
expect_eq "hubd has each Welsh answer once" "$(rows partly)" 2
expect_eq "hubd has each English answer once" "$(rows yes)" 2
expect_eq "hubd has nothing else" "$(sqlite3 "$OUT/hub.db" 'SELECT count(*) FROM feedback')" 4
expect_eq "nothing left to send" "$(sqlite3 "$OUT/data/kiosk.db" 'SELECT count(*) FROM feedback')" 0
expect_eq "no check-in from the taps" "$(sqlite3 "$OUT/data/kiosk.db" 'SELECT count(*) FROM checkins')" 0

# 4. Offline: no line, and the answer waits in the kiosk's store.
hubd_stop
run offline 1080x1920 "$HPORT" "sleep 1500
dump $OUT/offline.json
tap #feedback-en-no
quit"
expect_eq "offline: no line" "$(grep -c '"id":"community-' "$OUT/offline.json")" 0
expect_eq "offline: the answer kept" "$(sqlite3 "$OUT/data/kiosk.db" 'SELECT count(*) FROM feedback')" 1
hubd_start hub "$HPORT" || exit 1
run back 1080x1920 "$HPORT" "sleep 2500
quit"
expect_eq "back: the answer sent once" "$(rows no)" 1

echo "$WHO: $pass checks passed, $fail failed (screens in $OUT/screens)"
[ "$fail" -eq 0 ]
