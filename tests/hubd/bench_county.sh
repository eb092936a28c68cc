#!/usr/bin/env bash
# bench_county.sh HUBD BENCH — a county's load, side by side: 50 hubs x 4 kiosks posting
# check-ins on PostgreSQL (two hubd on one database, durable: fsync and synchronous commit
# on) and the same 200 kiosks on SQLite (one hubd, one hub per file); then concurrent call
# next on each, with no resident called twice. Everything in temporary folders, stopped on
# exit. SECS (default 10) per check-in run; HUBS (default 50).
set -euo pipefail
HUBD=${1:?usage: bench_county.sh path/to/hubd path/to/bench_county}
BENCH=${2:?usage: bench_county.sh path/to/hubd path/to/bench_county}
SECS=${SECS:-10}
HUBS=${HUBS:-50}
HERE=$(cd "$(dirname "$0")" && pwd)
PG="$HERE/../lib/pg.sh"
TMP=$(mktemp -d /tmp/county-bench-XXXXXX)
chmod 755 "$TMP"
pids=""
cleanup() {
  for p in $pids; do kill "$p" 2>/dev/null || true; done
  for p in $pids; do wait "$p" 2>/dev/null || true; done
  "$PG" stop "$TMP/pg" 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT

# start_hubd VAR DB LOG: a hubd on a free port, its URL into VAR (started in this shell, so
# that cleanup knows its pid)
start_hubd() {
  "$HUBD" --db "$2" --port 0 >"$3.out" 2>"$3.err" &
  pids="$pids $!"
  for _ in $(seq 1 100); do
    port=$(sed -n 's/^hubd listening on //p' "$3.out")
    [ -n "$port" ] && { printf -v "$1" '%s' "http://127.0.0.1:$port"; return 0; }
    sleep 0.1
  done
  echo "bench-county: hubd did not start (see $3.err)" >&2
  return 1
}

# the county's hubs: the test hub's directory under HUBS ids
seeds=()
for i in $(seq -w 1 "$HUBS"); do
  sed "s/\"testhub\"/\"hub$i\"/" "$HERE/fixtures/hub.json" >"$TMP/hub$i.json"
  seeds+=(--seed "$TMP/hub$i.json")
done

echo "== PostgreSQL: $HUBS hubs x 4 kiosks, two hubd on one database"
URL=$("$PG" start "$TMP/pg")
"$HUBD" --db "$URL" "${seeds[@]}" token reception r --hub hub01 >"$TMP/pg-reception"
for i in $(seq -w 1 "$HUBS"); do
  "$HUBD" --db "$URL" token kiosk "kiosk-$i" --hub "hub$i"
done >"$TMP/pg-kiosks"
start_hubd A "$URL" "$TMP/pg-a"
start_hubd B "$URL" "$TMP/pg-b"
"$BENCH" checkins "$SECS" "$A,$B" "$TMP/pg-kiosks"
"$BENCH" next "$A,$B" "$(head -1 "$TMP/pg-kiosks")" "$(cat "$TMP/pg-reception")" w-sian 2000 16

echo "== SQLite: one hub, the same number of kiosk threads, one hubd"
"$HUBD" --db "$TMP/hub.db" --seed "$HERE/fixtures/hub.json" token reception r >"$TMP/sq-reception"
# a hub has 26 kiosk codes (A-Z): 25 kiosk tokens, each line twice (4 threads a line)
for i in $(seq -w 1 $((HUBS / 2))); do
  t=$("$HUBD" --db "$TMP/hub.db" token kiosk "kiosk-$i")
  printf '%s\n%s\n' "$t" "$t"
done >"$TMP/sq-kiosks"
start_hubd S "$TMP/hub.db" "$TMP/sq"
"$BENCH" checkins "$SECS" "$S" "$TMP/sq-kiosks"
"$BENCH" next "$S" "$(head -1 "$TMP/sq-kiosks")" "$(cat "$TMP/sq-reception")" w-sian 2000 16
