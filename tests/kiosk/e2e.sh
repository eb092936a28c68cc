#!/bin/sh
# e2e.sh — end-to-end journeys: the real kiosk binary driven by --script, checked through its
# dump tree; screenshots of every screen; "I need help now" with a real hubd on a free port.
# Usage: e2e.sh BUILD/kiosk OUT_DIR   (BUILD also holds hubd)
set -u
KIOSK=${1:?kiosk binary}
OUT=${2:?output folder}
HUBD=$(dirname "$KIOSK")/hubd
SEED=assets/demo-hub.json
rm -rf "$OUT" && mkdir -p "$OUT"
: "${SDL_VIDEODRIVER:=offscreen}"
export SDL_VIDEODRIVER
WHO=e2e
pass=0
fail=0
pids=""
NBSP=$(printf '\302\240') # between a phone number's digit groups, so it is never cut in two
# shellcheck source=SCRIPTDIR/../sync/expect.sh
. "$(dirname "$0")/../sync/expect.sh" # check, expect_eq, expect_grep, ...
# shellcheck source=SCRIPTDIR/../sync/lib.sh
. "$(dirname "$0")/../sync/lib.sh" # hubd_init, hubd_start, board, stop_all, ...
trap stop_all EXIT
trap 'exit 130' INT TERM

# run NAME SIZE SCRIPT-TEXT [ARGS]: runs the kiosk with that script (and more arguments);
# fails the journey on a bad exit.
run() {
    printf '%s\n' "$3" >"$OUT/$1.script"
    # shellcheck disable=SC2086 # ARGS are words on purpose
    if ! timeout 120 "$KIOSK" --size "$2" ${4:-} --script "$OUT/$1.script" >"$OUT/$1.log" 2>&1; then
        echo "e2e: $1: kiosk failed, see $OUT/$1.log"
        tail -5 "$OUT/$1.log"
        return 1
    fi
}

# text DUMP ID: the text of widget ID.
text() {
    sed -n "s/^{\"id\":\"$2\",\"role\":\"[^\"]*\",\"text\":\"\\([^\"]*\\)\".*/\\1/p" "$1"
}

# centre DUMP ID: "X Y", the middle of widget ID.
centre() {
    sed -n "s/^{\"id\":\"$2\".*\"rect\":\\[\\([0-9]*\\),\\([0-9]*\\),\\([0-9]*\\),\\([0-9]*\\)\\].*/\\1 \\2 \\3 \\4/p" "$1" |
        awk '{ printf "%d %d\n", $1 + $3 / 2, $2 + $4 / 2 }'
}

screen() {
    sed -n 's/^{"screen":"\([a-z-]*\)".*/\1/p' "$1"
}

# rect DUMP ID: "X Y W H" of widget ID.
rect() {
    sed -n "s/^{\"id\":\"$2\".*\"rect\":\\[\\([0-9]*\\),\\([0-9]*\\),\\([0-9]*\\),\\([0-9]*\\)\\].*/\\1 \\2 \\3 \\4/p" "$1"
}

# ids DUMP PREFIX: the ids of the widgets whose id starts with PREFIX, in reading order, one line.
ids() {
    sed -n "s/^{\"id\":\"\\($2[^\"]*\\)\".*/\\1/p" "$1" | tr '\n' ' ' | sed 's/ $//'
}

expect_in() { # expect_in NAME GOT "A|B|C"
    echo "$2" | grep -qxE "$3"
    check "$1" $? "got \"$2\", want one of $3"
}

expect_nogrep() {
    ! grep -q -- "$3" "$2"
    check "$1" $? "$2 has $3"
}

# The one worker the matcher (kiosk/router/matcher.c) must pick from the demo directory
# (assets/demo-hub.json, nobody waiting), by its rules in order: the most needs covered (listed,
# or in the worker's domains), the most of the request's domains, the resident's language, the
# most needs listed by name, available before busy before away, the shortest line, then
# directory order; never a worker who is off.
# eviction (housing; "my landlord wants me out", in English or Welsh): Sian, Gareth, Tomasz,
# Megan and Dafydd cover it and housing and speak both languages; only Sian and Gareth list it
# by name, both are available, nobody waits: Sian comes first in the directory.
HOUSING='Sian Evans'
# energy_bills (money only): Sian, Rhodri, Angela and Megan cover money (Fatima is off); only
# Angela lists energy bills by name.
MONEY='Angela Price'
SIZE=1080x1920

# E2E_PART=golden runs only the screens at the golden sizes and their golden comparison (or,
# with GOLDEN_REFRESH=1, writes the golden images: tests/kiosk/golden-refresh).
PART=${E2E_PART:-all}
PNGDIFF=$(dirname "$KIOSK")/tests/kiosk/pngdiff
GOLDEN=tests/kiosk/golden
GOLDEN_SETS="1080x1920-en 1920x1080-cy"
GOLDEN_SCREENS="welcome tell topics subtopics people check name consent result urgent done"
GOLDEN_BIG_SET=1080x1920-en
GOLDEN_BIG="tell-big result-big"
GOLDEN_SHRINK=3 # kept at a third of the size (each pixel a 3x3 block's mean): about 30 KB each

# golden NAME SHOT: SHOT against tests/kiosk/golden/NAME.png, a diff image in OUT/golden-diff
# when they differ; with GOLDEN_REFRESH=1, SHOT packed small becomes the golden image instead.
golden() {
    g=$GOLDEN/$1.png
    if [ "${GOLDEN_REFRESH:-0}" = 1 ]; then
        mkdir -p "$GOLDEN"
        "$PNGDIFF" --pack --shrink $GOLDEN_SHRINK "$2" "$g"
        check "golden $1 written" $? "pngdiff --pack --shrink $GOLDEN_SHRINK $2 $g failed"
        return
    fi
    if [ ! -e "$g" ]; then
        check "golden $1" 1 "no $g (tests/kiosk/golden-refresh makes it)"
        return
    fi
    mkdir -p "$OUT/golden-diff"
    dimg=$OUT/golden-diff/$1.png
    rm -f "$dimg"
    got=$("$PNGDIFF" --shrink $GOLDEN_SHRINK --diff "$dimg" "$g" "$2" 2>&1)
    rc=$?
    [ -e "$dimg" ] && got="$got; diff image $dimg"
    check "golden $1" $rc "$got (new screenshot $2)"
}

# help_in_reach DUMP W H: the dump's screen has "I need help now", at least 88 px tall, in reach
# (portrait: its top in the lower 60% of the screen; landscape: in the lower half).
help_in_reach() {
    set -- "$1" "$2" "$3" $(rect "$1" help-now)
    if [ $# -lt 7 ]; then
        check "help now on $1" 1 "no #help-now"
        return
    fi
    check "help now tall enough on $1" $([ "$7" -ge 88 ] && echo 0 || echo 1) "$7 px tall"
    if [ "$3" -gt "$2" ]; then low=$(($3 * 2 / 5)); else low=$(($3 / 2)); fi
    check "help now in reach on $1" $([ "$5" -ge "$low" ] && echo 0 || echo 1) "top at $5 of $3"
}

# The staff PIN of the walk below and of journey 8.
printf '{"staff_pin": "2468"}\n' >"$OUT/config.json"

# 7. Every screen at three sizes, both languages, normal and bigger text: no text overflows
#    its rectangle and nothing lies off screen. Screenshots of every screen, and the main
#    resident screens compared with their golden images (below).
walk() { # walk PREFIX: a script visiting every screen, dumping and shooting each
    p=$1
    cat <<S
dump $p-welcome.json
shot $p-welcome.png
tap #lang-$2
type my landlord wants me out and I cant pay the rent
dump $p-tell.json
shot $p-tell.png
tap #next
dump $p-check.json
shot $p-check.png
tap #yes
type Bethan
dump $p-name.json
shot $p-name.png
tap #next
dump $p-consent.json
shot $p-consent.png
tap #consent-yes
dump $p-result.json
shot $p-result.png
wait 61000
dump $p-idle.json
shot $p-idle.png
tap #more-time
tap #finish
dump $p-done.json
shot $p-done.png
tap #done
tap #lang-$2
tap #topics
dump $p-topics.json
shot $p-topics.png
tap #topic-housing
dump $p-subtopics.json
shot $p-subtopics.png
tap #back
tap #back
tap #know
dump $p-people.json
shot $p-people.png
tap #worker-w-sian
dump $p-check-person.json
shot $p-check-person.png
tap #help-now
dump $p-urgent-help.json
shot $p-urgent-help.png
tap #start-again
tap #help-now
dump $p-urgent-welcome.json
shot $p-urgent-welcome.png
tap #start-again
tap #lang-$2
type zzz qqq
tap #next
dump $p-unsure.json
shot $p-unsure.png
tap #urgent-in_danger
dump $p-urgent-tile.json
shot $p-urgent-tile.png
tap #start-again
tap #lang-$2
type I want to kill myself
tap #next
dump $p-urgent-suicidal.json
shot $p-urgent-suicidal.png
tap #start-again
tap #lang-$2
type nowhere to sleep tonight
tap #next
dump $p-urgent.json
shot $p-urgent.png
tap #start-again
tap #text-size
tap #contrast
tap #lang-$2
type my landlord wants me out
dump $p-tell-big.json
shot $p-tell-big.png
tap #next
tap #yes
tap #skip
tap #consent-no
dump $p-result-big.json
shot $p-result-big.png
tap #finish
tap #done
hold #staff-corner 3000
tap #pin-2
tap #pin-4
tap #pin-6
dump $p-staff-pin.json
shot $p-staff-pin.png
tap #pin-8
tap #pin-ok
dump $p-staff.json
shot $p-staff.png
quit
S
}
mkdir -p "$OUT/screens"
for size in 800x480 1080x1920 1920x1080; do
    for lang in en cy; do
        if [ "$PART" = golden ]; then # the golden sizes alone
            case " $GOLDEN_SETS " in *" $size-$lang "*) ;; *) continue ;; esac
        fi
        p="$OUT/screens/$size-$lang"
        run "screens-$size-$lang" $size "$(walk "$p" $lang)" "--config $OUT/config.json" ||
            fail=$((fail + 1))
        w=${size%x*}
        h=${size#*x}
        for d in "$p"-*.json; do
            [ -e "$d" ] || continue
            bad=$(grep -c '"fits":false' "$d")
            check "fits $d" $([ "$bad" = 0 ] && echo 0 || echo 1) "$bad widgets overflow"
            off=$(sed -n 's/.*"rect":\[\(-\{0,1\}[0-9]*\),\(-\{0,1\}[0-9]*\),\([0-9]*\),\([0-9]*\)\].*/\1 \2 \3 \4/p' "$d" |
                awk -v W="$w" -v H="$h" '$1 < 0 || $2 < 0 || $1 + $3 > W || $2 + $4 > H' | wc -l)
            check "on screen $d" $([ "$off" = 0 ] && echo 0 || echo 1) "$off widgets off screen"
            case $(screen "$d") in
            staff | staff-pin) continue ;;
            esac
            # every control a resident can touch: in reach in portrait (the lower 60%), and at
            # least 88 px on the big panels
            ctl=$(grep '"action":' "$d" | grep -v '"role":"backdrop"' |
                sed -n 's/^{"id":"\([^"]*\)".*"rect":\[\([0-9]*\),\([0-9]*\),\([0-9]*\),\([0-9]*\)\].*/\1 \3 \4 \5/p')
            if [ "$h" -gt "$w" ]; then
                high=$(echo "$ctl" | awk -v top=$((h * 2 / 5)) '$2 < top { printf "%s@%d ", $1, $2 }')
                check "in reach $d" $([ -z "$high" ] && echo 0 || echo 1) "above the lower 60%: $high"
            fi
            if [ "$w" -ge 1080 ]; then
                small=$(echo "$ctl" | awk '$3 < 88 || $4 < 88 { printf "%s:%dx%d ", $1, $3, $4 }')
                check "88 px targets $d" $([ -z "$small" ] && echo 0 || echo 1) "small: $small"
            fi
            [ "$(screen "$d")" = urgent ] && continue
            help_in_reach "$d" "$w" "$h"
        done
        # the ticket to take away: a QR code a phone can read, on the result and done screens,
        # holding the ticket, the worker and where to wait as plain text in the screen's words
        tk=$(text "$p-result.json" ticket)
        wk=$(text "$p-result.json" worker-name)
        # rent_arrears (housing and money): only Sian and Fatima list it and cover both; Fatima
        # is off (see HOUSING)
        expect_eq "screens $size $lang: the worker" "$wk" "Sian Evans"
        for qs in result done; do
            zbarimg -q --nodbus --raw "$p-$qs.png" >"$p-$qs.qr" 2>/dev/null
            if [ $lang = en ]; then
                expect_grep "qr $size $lang $qs: the ticket" "$p-$qs.qr" "^Ticket: $tk\$"
                expect_grep "qr $size $lang $qs: the worker" "$p-$qs.qr" "^You'll see: $wk\$"
                expect_grep "qr $size $lang $qs: where" "$p-$qs.qr" '^Where to wait: [A-Z]'
            else
                expect_grep "qr $size $lang $qs: the ticket" "$p-$qs.qr" "^Tocyn: $tk\$"
                expect_grep "qr $size $lang $qs: the worker" "$p-$qs.qr" "^Byddwch chi'n gweld: $wk\$"
                expect_grep "qr $size $lang $qs: where, in Welsh" "$p-$qs.qr" '^Ble i aros: \(Ystafell\|Desg\)'
            fi
            expect_nogrep "qr $size $lang $qs: never the name" "$p-$qs.qr" 'Bethan'
        done
        expect_grep "done $size $lang: the ticket again" "$p-done.json" "\"id\":\"done-ticket\",.*$tk"
        n=$(ls "$p"-*.json 2>/dev/null | wc -l)
        check "every screen dumped at $size $lang" $([ "$n" -ge 22 ] && echo 0 || echo 1) "$n dumps"
    done
done
for f in "$OUT"/screens/*.png; do
    sig=$(head -c 4 "$f" | od -An -c | tr -d ' ')
    check "png $f" $([ "$sig" = '211PNG' ] && echo 0 || echo 1) "not a PNG"
done

# Golden images: the main resident screens at one size per language (English portrait, Welsh
# landscape), bigger text and high contrast on the English one, each kept in tests/kiosk/golden
# at a third of its size and compared, the new screenshot shrunk the same way, within a small
# tolerance (pngdiff's: at most 0.003% of the pixels, 6 of a third of 1080x1920, off by more
# than 24 of 255 in a channel; a full stop added to a title is 13). Nothing on these screens comes from the clock or a store:
# no hubd, no --data, so the ticket is the kiosk's first of the day and no wait is shown. A
# difference fails with the screen's name, where it differs and a diff image to look at.
# tests/kiosk/golden-refresh writes them anew (GOLDEN_REFRESH=1), on purpose.
for gs in $GOLDEN_SETS; do
    shots="$GOLDEN_SCREENS"
    [ "$gs" = "$GOLDEN_BIG_SET" ] && shots="$shots $GOLDEN_BIG"
    for shot in $shots; do
        golden "$gs-$shot" "$OUT/screens/$gs-$shot.png"
    done
done
# the comparison itself can fail: another screen differs, a damaged PNG is an error
if [ "${GOLDEN_REFRESH:-0}" != 1 ] && [ -e "$GOLDEN/1080x1920-en-welcome.png" ]; then
    "$PNGDIFF" --shrink $GOLDEN_SHRINK "$GOLDEN/1080x1920-en-welcome.png" \
        "$OUT/screens/1080x1920-en-tell.png" >"$OUT/pngdiff-other.txt" 2>&1
    expect_eq "pngdiff: another screen differs (exit 1)" $? 1
    head -c 20000 "$GOLDEN/1080x1920-en-welcome.png" >"$OUT/cut.png"
    "$PNGDIFF" "$OUT/cut.png" "$GOLDEN/1080x1920-en-welcome.png" >"$OUT/pngdiff-cut.txt" 2>&1
    expect_eq "pngdiff: a PNG cut short is an error (exit 2)" $? 2
fi
if [ "$PART" = golden ]; then
    echo "kiosk e2e golden: $pass checks passed, $fail failed (diff images in $OUT/golden-diff)"
    [ "$fail" = 0 ]
    exit
fi

# 1. A resident types "my landlord wants me out" by tapping the on-screen keyboard.
phrase="my landlord wants me out"
run j1a $SIZE "dump $OUT/j1-welcome.json" || fail=$((fail + 1))
set -- $(centre "$OUT/j1-welcome.json" lang-en)
run j1b $SIZE "tap $1 $2
dump $OUT/j1-keys.json" || fail=$((fail + 1))
taps=$(printf '%s\n' "$phrase" | fold -w1 | while IFS= read -r ch; do
    case "$ch" in "") id=key-space ;; *) id="key-$ch" ;; esac
    echo "tap $(centre "$OUT/j1-keys.json" "$id")"
done)
space=$(centre "$OUT/j1-keys.json" key-space)
taps=$(echo "$taps" | sed "s/^tap \$/tap $space/")
run j1 $SIZE "tap $(centre "$OUT/j1-welcome.json" lang-en)
$taps
dump $OUT/j1-tell.json
shot $OUT/j1-tell.png
tap #next
dump $OUT/j1-check.json
tap #yes
tap #skip
dump $OUT/j1-consent.json
tap #consent-yes
dump $OUT/j1-result.json
shot $OUT/j1-result.png" || fail=$((fail + 1))
expect_eq "typed by taps" "$(text "$OUT/j1-tell.json" field)" "$phrase"
expect_eq "check screen" "$(screen "$OUT/j1-check.json")" check
expect_eq "consent screen" "$(screen "$OUT/j1-consent.json")" consent
expect_eq "result screen" "$(screen "$OUT/j1-result.json")" result
expect_eq "housing worker named" "$(text "$OUT/j1-result.json" worker-name)" "$HOUSING"
expect_grep "ticket shown" "$OUT/j1-result.json" '"id":"ticket","role":"heading","text":"H-K0[1-9]"'
# no hubd at all: reception will tell them how long, never a number the kiosk made up
expect_grep "no made-up wait" "$OUT/j1-result.json" \
    '"id":"wait","role":"panel","text":"Reception will tell you how long"'
expect_nogrep "no made-up line" "$OUT/j1-result.json" 'before you'

# 2. The Welsh journey, typed on a physical keyboard.
run j2 $SIZE "tap #lang-cy
type mae'r landlord eisiau fi allan
dump $OUT/j2-tell.json
tap #next
dump $OUT/j2-check.json
tap #yes
tap #skip
tap #consent-no
dump $OUT/j2-result.json" || fail=$((fail + 1))
expect_eq "welsh check" "$(text "$OUT/j2-check.json" question)" "Ydy hynny'n iawn?"
expect_eq "welsh result" "$(text "$OUT/j2-result.json" title)" "Byddwch chi'n gweld"
expect_eq "welsh-speaking housing worker" "$(text "$OUT/j2-result.json" worker-name)" "$HOUSING"
expect_grep "welsh wait" "$OUT/j2-result.json" '"id":"wait","role":"panel","text":"Bydd y dderbynfa'

# 3. Urgent: straight to reception, crisis lines, no queue; then done and back to welcome.
run j3 $SIZE "tap #lang-en
type I have nowhere to sleep tonight
tap #next
dump $OUT/j3-urgent.json
shot $OUT/j3-urgent.png
tap #finish
dump $OUT/j3-done.json
wait 9000
dump $OUT/j3-after.json" || fail=$((fail + 1))
expect_eq "urgent screen" "$(screen "$OUT/j3-urgent.json")" urgent
# somewhere to stay tonight has no line of its own: the short general set, 999 and Samaritans
expect_eq "general lines" "$(ids "$OUT/j3-urgent.json" line-)" "line-999 line-samaritans"
expect_grep "999 shown" "$OUT/j3-urgent.json" '"id":"line-999",.*call 999'
expect_grep "Samaritans shown" "$OUT/j3-urgent.json" "Samaritans.*116${NBSP}123"
expect_grep "where reception is" "$OUT/j3-urgent.json" '"id":"where",.*"text":"Reception is'
expect_grep "text relay" "$OUT/j3-urgent.json" '"id":"relay",.*18001.*18000'
expect_nogrep "no queue" "$OUT/j3-urgent.json" '"id":"ahead"'
expect_nogrep "no help now where it leads" "$OUT/j3-urgent.json" '"id":"help-now"'
expect_eq "done screen" "$(screen "$OUT/j3-done.json")" done
expect_eq "back to welcome" "$(screen "$OUT/j3-after.json")" welcome

# 4. Topic tiles: Money and bills, then energy bills.
run j4 $SIZE "tap #lang-en
tap #topics
dump $OUT/j4-topics.json
tap #topic-benefits
dump $OUT/j4-sub.json
tap #sub-energy_bills
tap #yes
tap #skip
dump $OUT/j4-result.json" || fail=$((fail + 1))
expect_eq "topic tiles" "$(text "$OUT/j4-topics.json" topic-housing)" "Somewhere to live"
expect_eq "subtopics" "$(screen "$OUT/j4-sub.json")" subtopics
expect_eq "money worker named" "$(text "$OUT/j4-result.json" worker-name)" "$MONEY"

# 5. "I already know someone here".
run j5 $SIZE "tap #lang-en
tap #know
dump $OUT/j5-people.json
tap #worker-w-rhodri
tap #yes
tap #skip
dump $OUT/j5-result.json" || fail=$((fail + 1))
expect_eq "initials avatar" "$(text "$OUT/j5-people.json" avatar-w-rhodri)" "RW"
expect_nogrep "nobody who is off" "$OUT/j5-people.json" 'worker-w-fatima'
expect_eq "chosen worker" "$(text "$OUT/j5-result.json" worker-name)" "Rhodri Williams"

# 5b. Saying who you came to see, in each language, offers that worker; saying which language
# you speak goes to reception (the real router reads the words).
run j5b $SIZE "tap #lang-en
type here to see sian about my rent
tap #next
dump $OUT/j5b-check.json
tap #yes
tap #skip
tap #consent-no
dump $OUT/j5b-result.json" || fail=$((fail + 1))
expect_eq "asked-for worker offered" "$(screen "$OUT/j5b-check.json")" check
expect_grep "Sian on the check screen" "$OUT/j5b-check.json" '"id":"title",.*Sian Evans'
expect_eq "asked-for worker given" "$(text "$OUT/j5b-result.json" worker-name)" "Sian Evans"
run j5c $SIZE "tap #lang-cy
type dw i isio gweld Sian
tap #next
dump $OUT/j5c-check.json" || fail=$((fail + 1))
expect_grep "Sian offered in Welsh" "$OUT/j5c-check.json" '"id":"title",.*Sian Evans'
run j5d $SIZE "tap #lang-en
type i speak polish, problem with rent
tap #next
dump $OUT/j5d-check.json
tap #yes
tap #skip
tap #consent-no
dump $OUT/j5d-result.json" || fail=$((fail + 1))
expect_eq "language asked: reception" "$(screen "$OUT/j5d-check.json")" check
expect_nogrep "no worker for a language asked" "$OUT/j5d-result.json" '"id":"worker-name"'

# 6. Idle: the prompt, more time, then a reset that wipes what was typed.
run j6 $SIZE "tap #lang-en
type my rent is late
wait 61000
dump $OUT/j6-prompt.json
tap #more-time
dump $OUT/j6-more.json
wait 61000
wait 31000
dump $OUT/j6-reset.json
tap #lang-en
dump $OUT/j6-tell.json" || fail=$((fail + 1))
expect_grep "idle prompt" "$OUT/j6-prompt.json" '"idle_prompt":true'
expect_eq "still there" "$(text "$OUT/j6-prompt.json" idle-title)" "Are you still there?"
expect_eq "more time keeps text" "$(text "$OUT/j6-more.json" field)" "my rent is late"
expect_eq "reset to welcome" "$(screen "$OUT/j6-reset.json")" welcome
expect_eq "text wiped" "$(text "$OUT/j6-tell.json" field)" "Type here"
expect_nogrep "no trace of the words" "$OUT/j6-tell.json" 'rent is late'

# 8. Staff: a long press on the welcome screen's corner, then the PIN from the config file.
CONF="--config $OUT/config.json --lang en"
run j8a $SIZE "hold #staff-corner 3000
dump $OUT/j8-pin.json
tap #pin-2
tap #pin-4
tap #pin-6
tap #pin-9
tap #pin-ok
dump $OUT/j8-wrong.json
tap #pin-2
tap #pin-4
tap #pin-6
tap #pin-8
dump $OUT/j8-typed.json
tap #pin-ok
dump $OUT/j8-staff.json
tap #close
dump $OUT/j8-closed.json
tap #staff-corner
dump $OUT/j8-short.json" "$CONF" || fail=$((fail + 1))
expect_eq "long press opens the PIN pad" "$(screen "$OUT/j8-pin.json")" staff-pin
expect_eq "wrong PIN said" "$(text "$OUT/j8-wrong.json" pin-message)" "That PIN is not right. Try again."
expect_eq "wrong PIN stays" "$(screen "$OUT/j8-wrong.json")" staff-pin
expect_nogrep "PIN never shown" "$OUT/j8-typed.json" '2468'
expect_eq "right PIN" "$(screen "$OUT/j8-staff.json")" staff
expect_in "no hubd said" "$(text "$OUT/j8-staff.json" hubd-value)" "Not connected.*"
expect_eq "close" "$(screen "$OUT/j8-closed.json")" welcome
expect_eq "a short tap on the corner starts" "$(screen "$OUT/j8-short.json")" tell
run j8b $SIZE "hold #welcome 3000
dump $OUT/j8-nocorner.json" || fail=$((fail + 1))
expect_nogrep "no PIN set: no corner" "$OUT/j8-nocorner.json" 'staff-corner'
expect_eq "no PIN set: no staff screen" "$(screen "$OUT/j8-nocorner.json")" tell
# check-ins cannot be saved (the data folder lies under a file): staff are told, loudly
: >"$OUT/afile"
run j8c $SIZE "dump $OUT/j8-notice.json
shot $OUT/j8-notice.png
hold #staff-corner 3000
tap #pin-2
tap #pin-4
tap #pin-6
tap #pin-8
tap #pin-ok
dump $OUT/j8-store.json
shot $OUT/j8-store.png
tap #close
tap #lang-en
type my landlord wants me out
tap #next
tap #yes
tap #skip
tap #consent-no
dump $OUT/j8-result.json" "$CONF --token t --server http://127.0.0.1:9 --data $OUT/afile/kiosk" ||
    fail=$((fail + 1))
expect_in "notice to staff" "$(text "$OUT/j8-notice.json" staff-notice-text)" "Staff: this kiosk cannot save.*"
expect_in "store said" "$(text "$OUT/j8-store.json" store-value)" "NO: .*memory only"
expect_grep "loud log line" "$OUT/j8c.log" 'LOCAL STORE VOLATILE'
expect_eq "still routes residents" "$(screen "$OUT/j8-result.json")" result
expect_eq "to a named worker" "$(text "$OUT/j8-result.json" worker-name)" "$HOUSING"
expect_grep "with a ticket" "$OUT/j8-result.json" '"id":"ticket","role":"heading","text":"[A-Z]-[A-Z][A-Z]*[0-9]'
printf '{"staff_pin": "12"}\n' >"$OUT/bad-config.json"
timeout 60 "$KIOSK" --config "$OUT/bad-config.json" --script /dev/null >"$OUT/j8d.log" 2>&1
check "bad config refused" $([ $? = 2 ] && echo 0 || echo 1) "want exit 2"
expect_grep "bad config named" "$OUT/j8d.log" 'staff_pin'

# 9. "I need help now", without typing, against a real hubd (a free port, a new database, a
#    kiosk token and a reception token): a resident checks in as usual, then the next taps help
#    now; reception's board shows the second FIRST, urgent, with no needs, for the duty worker.
#    At both big sizes, in both languages, from a different screen each time.
# board_nth FILE N: the Nth check-in on the board, one JSON object.
board_nth() {
    sed 's/},{/}\n{/g' "$1" | sed -n "${2}p"
}
# urgent_id DATA: the id of the urgent check-in in DATA/kiosk.db.
urgent_id() {
    sqlite3 "$1/kiosk.db" "select id from checkins where body like '%\"urgent\":true%'" 2>/dev/null
}
help_now_journey() { # NAME SIZE LANG FROM STEPS: STEPS reach screen FROM; then help now
    name=$1 size=$2 lang=$3 from=$4 steps=$5
    hubd_init "$name"
    hubd_start "$name" || { fail=$((fail + 1)); return; }
    data=$OUT/$name-data
    run "$name" "$size" "tap #lang-en
type my landlord wants me out
tap #next
tap #yes
tap #skip
tap #consent-no
dump $OUT/$name-first.json
tap #finish
tap #done
$steps
dump $OUT/$name-from.json
shot $OUT/$name-from.png
tap #help-now
dump $OUT/$name-urgent.json
shot $OUT/$name-urgent.png
quit" "--server http://127.0.0.1:$HPORT --token $KTOK --data $data" || fail=$((fail + 1))
    board "$HPORT" "$OUT/$name-board.json"
    hubd_stop
    w=${size%x*} h=${size#*x}
    expect_eq "$name: first resident's result" "$(screen "$OUT/$name-first.json")" result
    # first in a fresh line, hubd up: "You're next", and the board shows the ticket they hold
    expect_grep "$name: first in line reads You're next" "$OUT/$name-first.json" \
        "\"id\":\"ahead\",\"role\":\"panel\",\"text\":\"You're next\""
    held=$(text "$OUT/$name-first.json" ticket)
    expect_in "$name: the kiosk's ticket" "$held" '[A-Z]-[A-Z][0-9][0-9]'
    expect_in "$name: one ticket on the board card, the kiosk's" \
        "$(board_nth "$OUT/$name-board.json" 2)" ".*\"ticket\":\"$held\",\"kiosk_ticket\":null.*"
    expect_eq "$name: help now from $from" "$(screen "$OUT/$name-from.json")" "$from"
    help_in_reach "$OUT/$name-from.json" "$w" "$h"
    expect_eq "$name: straight to urgent" "$(screen "$OUT/$name-urgent.json")" urgent
    expect_grep "$name: in the resident's language" "$OUT/$name-urgent.json" "\"lang\":\"$lang\""
    expect_eq "$name: the general lines" "$(ids "$OUT/$name-urgent.json" line-)" \
        "line-999 line-samaritans"
    expect_set "$name: where reception is" "$(text "$OUT/$name-urgent.json" where)"
    expect_grep "$name: text relay" "$OUT/$name-urgent.json" '"id":"relay",.*18001'
    uid=$(urgent_id "$data")
    expect_set "$name: the urgent check-in in kiosk.db" "$uid"
    expect_eq "$name: both on the board" "$(board_ids "$OUT/$name-board.json" | grep -c .)" 2
    first=$(board_nth "$OUT/$name-board.json" 1)
    second=$(board_nth "$OUT/$name-board.json" 2)
    expect_in "$name: FIRST on the board is the urgent one" "$first" ".*\"id\":\"$uid\".*"
    expect_in "$name: urgent" "$first" '.*"urgent":true.*'
    expect_in "$name: no needs" "$first" '.*"needs":\[\].*'
    expect_in "$name: for the duty worker" "$first" '.*"worker_id":"w-gareth".*'
    expect_in "$name: its language" "$first" ".*\"lang\":\"$lang\".*"
    echo "$first" | grep -q '"text":'
    check "$name: no words on the board" $([ $? = 1 ] && echo 0 || echo 1) "$first"
    expect_in "$name: the earlier resident second, not urgent" "$second" \
        '.*"urgent":false.*"needs":\["[a-z_]+".*'
    # eviction, and nobody waiting in hubd's directory yet: Sian (see HOUSING)
    expect_in "$name: the earlier resident for Sian" "$second" '.*"worker_id":"w-sian".*'
}
help_now_journey hn-portrait-en 1080x1920 en tell "tap #lang-en
type I am so scared"
help_now_journey hn-portrait-cy 1080x1920 cy welcome ""
help_now_journey hn-landscape-en 1920x1080 en check "tap #lang-en
type behind on rent and my universal credit stopped
tap #next"
help_now_journey hn-landscape-cy 1920x1080 cy topics "tap #lang-cy
type zzz qqq
tap #next"
expect_eq "from welcome: the title in both languages" \
    "$(text "$OUT/hn-portrait-cy-urgent.json" title-en)" "Please go to reception now"
expect_grep "from welcome: the button in both" "$OUT/hn-portrait-cy-from.json" \
    '"id":"help-now",.*"text":"Dw i angen help nawr\\nI need help now"'
expect_grep "unsure: ask at reception too" "$OUT/hn-landscape-cy-from.json" \
    '"id":"ask-reception",.*"text":"Gofyn yn y dderbynfa"'
expect_eq "Welsh urgent screen" "$(text "$OUT/hn-landscape-cy-urgent.json" title)" \
    "Ewch i'r dderbynfa nawr, os gwelwch yn dda"
expect_grep "Welsh Samaritans line" "$OUT/hn-landscape-cy-urgent.json" \
    "Yn Gymraeg.*0808${NBSP}164${NBSP}0123"

# 10. Speech: a journey with --speech; the trace says each screen in the screen's language, the
#     result screen says the worker, where to wait and the ticket for the ear; the WAV has sound.
# rms WAV: the RMS amplitude of a WAV (sox); length WAV: its seconds.
rms() { sox "$1" -n stat 2>&1 | sed -n 's/^RMS *amplitude: *//p'; }
length() { sox "$1" -n stat 2>&1 | sed -n 's/^Length (seconds): *//p'; }
not_silent() { # NAME WAV: at least a second of sound, louder than a whisper
    check "$1: the WAV has sound" \
        $(awk -v r="$(rms "$2")" -v l="$(length "$2")" 'BEGIN { exit !(r > 0.02 && l > 1) }' && echo 0 || echo 1) \
        "rms $(rms "$2"), $(length "$2") s"
}
for lang in en cy; do
    run "speech-$lang" $SIZE "tap #lang-$lang
type my landlord wants me out
tap #next
tap #yes
tap #skip
tap #consent-no
dump $OUT/speech-$lang-result.json
quit" "--speech --trace --audio-out $OUT/speech-$lang.wav" || fail=$((fail + 1))
    name=$(text "$OUT/speech-$lang-result.json" worker-name)
    expect_eq "speech $lang: the housing worker" "$name" "$HOUSING"
    if [ $lang = en ]; then
        expect_grep "speech en: the welcome in Welsh first" "$OUT/speech-$lang.log" '^speak lang=cy "Croeso\.'
        expect_grep "speech en: and in English" "$OUT/speech-$lang.log" '^speak lang=en "Welcome\.'
        expect_grep "speech en: the worker" "$OUT/speech-$lang.log" "^speak lang=en \"You'll see $name\."
        expect_grep "speech en: the ticket for the ear" "$OUT/speech-$lang.log" \
            '^speak lang=en ".*Your ticket is [A-Z], [A-Z], [a-z -]*\.'
        expect_grep "speech en: where to wait" "$OUT/speech-$lang.log" '^speak lang=en ".*Where: Room [0-9]'
    else
        expect_grep "speech cy: the worker" "$OUT/speech-$lang.log" "^speak lang=cy \"Byddwch chi'n gweld $name\."
        expect_grep "speech cy: the ticket in Welsh letters and numbers" "$OUT/speech-$lang.log" \
            '^speak lang=cy ".*Eich tocyn yw [a-z]*, [a-z]*, [a-z ]*\.'
        expect_grep "speech cy: the desk in Welsh" "$OUT/speech-$lang.log" '^speak lang=cy ".*Ble: Ystafell'
        expect_nogrep "speech cy: no English screen read" "$OUT/speech-$lang.log" "^speak lang=en \"What can"
    fi
    expect_grep "speech $lang: the check screen said" "$OUT/speech-$lang.log" "^speak lang=$lang \".*\(Is that right\|Ydy hynny'n iawn\)?"
    expect_grep "speech $lang: sound started" "$OUT/speech-$lang.log" '^speech_start_ms='
    not_silent "speech $lang" "$OUT/speech-$lang.wav"
done
# with speech off nothing is said, and the WAV is empty
run speech-off $SIZE "tap #lang-en
dump $OUT/speech-off.json
quit" "--trace --audio-out $OUT/speech-off.wav" || fail=$((fail + 1))
expect_nogrep "speech off: nothing said" "$OUT/speech-off.log" '^speak '
expect_grep "speech off: the Listen button, within reach" "$OUT/speech-off.json" '"id":"listen","role":"button","text":"Listen"'

# 11. The keypad alone, no tap at all, to a named worker, in each language: arrows and Tab move
#     a visible focus in reading order, Enter chooses, and speech comes on and follows the focus.
# tabs DUMP ID: how many Tabs bring the focus from nothing to ID (focusable: takes a touch, not a
# backdrop; in the dump's reading order).
tabs() {
    grep '"action":' "$1" | grep -v '"role":"backdrop"' | sed -n 's/^{"id":"\([^"]*\)".*/\1/p' |
        awk -v id="$2" '{ n++ } $0 == id { print n; found = 1; exit } END { if (!found) print 0 }'
}
keys_to() { # DUMP ID: the script lines that move the focus to ID and press Enter
    n=$(tabs "$1" "$2")
    i=0
    while [ "$i" -lt "$n" ]; do echo "key Tab"; i=$((i + 1)); done
    echo "key Return"
}
for lang in en cy; do
    for size in 1080x1920 1920x1080; do
        k="keypad-$lang-$size"
        steps=""
        prev=welcome
        for target in "lang-$lang" know worker-w-rhodri yes skip; do
            run "$k-$prev" "$size" "$steps
dump $OUT/$k-$prev.json
quit" || fail=$((fail + 1))
            check "$k: $target reachable from $prev" $([ "$(tabs "$OUT/$k-$prev.json" "$target")" -gt 0 ] && echo 0 || echo 1) "not focusable"
            steps="$steps
$(keys_to "$OUT/$k-$prev.json" "$target")"
            prev=$target
        done
        run "$k" "$size" "$steps
dump $OUT/$k-result.json
key Tab
dump $OUT/$k-focus.json
shot $OUT/$k-focus.png
quit" "--trace --audio-out $OUT/$k.wav" || fail=$((fail + 1))
        expect_nogrep "$k: no tap at all" "$OUT/$k.script" '^tap'
        expect_eq "$k: the result" "$(screen "$OUT/$k-result.json")" result
        expect_eq "$k: the named worker" "$(text "$OUT/$k-result.json" worker-name)" "Rhodri Williams"
        expect_grep "$k: in the language chosen" "$OUT/$k-result.json" "\"lang\":\"$lang\""
        expect_grep "$k: the focus shows" "$OUT/$k-focus.json" '"focused":true'
        expect_grep "$k: speech came on and said the worker" "$OUT/$k.log" "^speak lang=$lang \".*Rhodri Williams"
        if [ $lang = en ]; then
            expect_grep "$k: English said in the English voice" "$OUT/$k.log" '^speak lang=en "English"$'
        else
            expect_grep "$k: Cymraeg said in the Welsh voice" "$OUT/$k.log" '^speak lang=cy "Cymraeg"$'
        fi
        not_silent "$k" "$OUT/$k.wav"
    done
done

echo "kiosk e2e: $pass checks passed, $fail failed (screens in $OUT/screens)"
[ "$fail" = 0 ]
