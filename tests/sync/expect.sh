# expect.sh — the checks of the shell end-to-end tests (sourced by tests/sync/kiosk_sync.sh and
# tests/kiosk/e2e.sh): each counts one pass or one fail, and says what failed, as
# "$WHO FAIL: NAME: why". The sourcing script sets WHO, pass=0 and fail=0.
# shellcheck shell=sh

check() { # check NAME CONDITION-RESULT MESSAGE
    if [ "$2" = 0 ]; then
        pass=$((pass + 1))
    else
        fail=$((fail + 1))
        echo "$WHO FAIL: $1: $3"
    fi
}

expect_eq() { # expect_eq NAME GOT WANT
    [ "$2" = "$3" ]
    check "$1" $? "got \"$2\", want \"$3\""
}

expect_grep() { # expect_grep NAME FILE PATTERN (basic regex)
    grep -q -- "$3" "$2"
    check "$1" $? "$2 lacks $3"
}

expect_set() { # expect_set NAME GOT: GOT is not empty
    [ -n "$2" ]
    check "$1" $? "empty"
}

expect_ge() { # expect_ge NAME GOT MIN (integers)
    [ "$2" -ge "$3" ] 2>/dev/null
    check "$1" $? "got \"$2\", want >= $3"
}

expect_lt() { # expect_lt NAME GOT LIMIT (decimals; an empty GOT fails)
    [ -n "$2" ] && awk -v g="$2" -v l="$3" 'BEGIN { exit !(g + 0 < l + 0) }'
    check "$1" $? "got \"$2\", want < $3"
}

expect_between() { # expect_between NAME GOT LOW HIGH
    [ -n "$2" ] && awk -v g="$2" -v lo="$3" -v hi="$4" 'BEGIN { exit !(g + 0 >= lo && g + 0 < hi) }'
    check "$1" $? "got \"$2\", want in [$3, $4)"
}
