#!/usr/bin/env bash
# bench.sh HUBD — hubd's throughput with wrk on loopback, next to nginx serving the same
# directory JSON as a static file. Prints the median of RUNS runs for each case and hubd's
# ratio to nginx. Everything lives in a temporary folder and is stopped on exit.
set -euo pipefail
HUBD=${1:?usage: bench.sh path/to/hubd}
RUNS=${RUNS:-3}
SECS=${SECS:-5}
HERE=$(cd "$(dirname "$0")" && pwd)
NGINX=${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}
for tool in wrk "$NGINX" "$HUBD"; do
  command -v "$tool" >/dev/null 2>&1 || { echo "bench-hubd: $tool not found" >&2; exit 1; }
done

TMP=$(mktemp -d /tmp/hubd-bench-XXXXXX)
chmod 755 "$TMP"
HUBD_PID="" NGINX_PID=""
cleanup() {
  [ -n "$HUBD_PID" ] && kill "$HUBD_PID" 2>/dev/null && wait "$HUBD_PID" 2>/dev/null || true
  [ -n "$NGINX_PID" ] && kill "$NGINX_PID" 2>/dev/null && wait "$NGINX_PID" 2>/dev/null || true
  rm -rf "$TMP"
}
trap cleanup EXIT

# hubd on a free port with a fresh database
KIOSK=$("$HUBD" --db "$TMP/hub.db" token kiosk bench)
coproc HUBD_PROC { exec "$HUBD" --db "$TMP/hub.db" --port 0 --seed "$HERE/fixtures/hub.json"; }
HUBD_PID=$HUBD_PROC_PID
read -r -t 60 line <&"${HUBD_PROC[0]}" || { echo "bench-hubd: hubd did not start" >&2; exit 1; }
HPORT=${line##* }
H="http://127.0.0.1:$HPORT"
AUTH="Authorization: Bearer $KIOSK"
curl -sf -H "$AUTH" "$H/api/v1/directory" -o "$TMP/directory.json"
ETAG=$(curl -sf -D - -o /dev/null -H "$AUTH" "$H/api/v1/directory" | tr -d '\r' |
  awk 'tolower($1)=="etag:"{print $2}')

# nginx with a temporary config, no root paths, on another loopback port
mkdir -p "$TMP/www" "$TMP/nginx"
cp "$TMP/directory.json" "$TMP/www/directory.json"
chmod 644 "$TMP/www/directory.json"
for try in 1 2 3 4 5 6 7 8 9 10; do
  NPORT=$((20000 + RANDOM % 30000))
  cat >"$TMP/nginx/nginx.conf" <<CONF
worker_processes 2;
pid $TMP/nginx/nginx.pid;
error_log $TMP/nginx/error.log;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path $TMP/nginx/body;
  proxy_temp_path $TMP/nginx/proxy;
  fastcgi_temp_path $TMP/nginx/fastcgi;
  uwsgi_temp_path $TMP/nginx/uwsgi;
  scgi_temp_path $TMP/nginx/scgi;
  types { application/json json; }
  server {
    listen 127.0.0.1:$NPORT;
    root $TMP/www;
    location / { etag on; }
  }
}
CONF
  "$NGINX" -p "$TMP/nginx" -e "$TMP/nginx/error.log" -c "$TMP/nginx/nginx.conf" -g 'daemon off;' 2>/dev/null &
  NGINX_PID=$!
  for _ in $(seq 50); do
    curl -sf "http://127.0.0.1:$NPORT/directory.json" -o /dev/null 2>/dev/null && break
    sleep 0.1
  done
  curl -sf "http://127.0.0.1:$NPORT/directory.json" -o /dev/null 2>/dev/null && break
  kill "$NGINX_PID" 2>/dev/null || true; wait "$NGINX_PID" 2>/dev/null || true; NGINX_PID=""
done
[ -n "$NGINX_PID" ] || { echo "bench-hubd: nginx did not start" >&2; exit 1; }
N="http://127.0.0.1:$NPORT"
NETAG=$(curl -sf -D - -o /dev/null "$N/directory.json" | tr -d '\r' | awk 'tolower($1)=="etag:"{print $2}')

# run NAME CONNS URL SCRIPT [headers...] -> appends "rps p99" lines to $TMP/NAME; PACE=ms
# between one connection's requests (default none)
run() {
  local name=$1 conns=$2 url=$3 script=$4
  shift 4
  local hdrs=()
  for h in "$@"; do hdrs+=(-H "$h"); done
  local out
  out=$(wrk -t1 -c"$conns" -d"${SECS}s" --timeout 5s -s "$script" "${hdrs[@]}" "$url" \
    -- "${PACE:-0}" | grep '^RESULT')
  local rps=${out#*rps=}; rps=${rps%% *}
  local p99=${out#*p99_ms=}; p99=${p99%% *}
  local err=${out#*errors=}
  echo "$rps $p99 $err" >>"$TMP/$name"
}

median() { # median of column $2 in file $1
  sort -n -k"$2" "$1" | awk -v c="$2" '{v[NR]=$c} END{print v[int((NR+1)/2)]}'
}

for i in $(seq "$RUNS"); do
  run hubd304 64 "$H/api/v1/directory" "$HERE/bench_get.lua" "$AUTH" "If-None-Match: $ETAG"
  run nginx304 64 "$N/directory.json" "$HERE/bench_get.lua" "If-None-Match: $NETAG"
  run hubd200 64 "$H/api/v1/directory" "$HERE/bench_get.lua" "$AUTH"
  run nginx200 64 "$N/directory.json" "$HERE/bench_get.lua"
  run hubdpost 16 "$H/api/v1/checkins" "$HERE/bench_post.lua" "$AUTH" "Content-Type: application/json"
done

report() { # NAME LABEL
  printf '%-44s %9s req/s   p99 %7s ms   errors %s\n' "$2" "$(median "$TMP/$1" 1)" \
    "$(median "$TMP/$1" 2)" "$(awk '{s+=$3} END{print s}' "$TMP/$1")"
}
echo "bench-hubd: wrk -t1, ${SECS}s per run, median of $RUNS runs, loopback, $(nproc) cores"
report hubd304 "hubd GET /directory 304 (64 conns)"
report nginx304 "nginx static 304 (64 conns)"
report hubd200 "hubd GET /directory 200 (64 conns)"
report nginx200 "nginx static 200 (64 conns)"
report hubdpost "hubd POST /checkins durable 201 (16 conns)"
ratio() { awk -v a="$(median "$TMP/$1" 1)" -v b="$(median "$TMP/$2" 1)" 'BEGIN{printf "%.2f", a/b}'; }
echo "hubd/nginx ratio: 304 path $(ratio hubd304 nginx304), 200 path $(ratio hubd200 nginx200)"
STORED=$(sqlite3 "$TMP/hub.db" 'SELECT count(*) FROM checkins' 2>/dev/null || echo "?")
echo "check-ins stored: $STORED (every 201 above is one of them)"

# A hub's day under load, then under attack: a fresh hubd with a realistic board (60
# waiting); 64 reception connections poll its first page (limit=100) every 250 ms while 16
# kiosks post a check-in every 250 ms each (the board grows by ~64 a second); then the same
# while SLOW (300) slow connections are held from the same address (tests/hubd/slowhold.c).
# Target: p99 < 50 ms and no error, both times.
SLOWHOLD=${SLOWHOLD:-$(dirname "$HUBD")/slowhold}
kill "$HUBD_PID" 2>/dev/null && wait "$HUBD_PID" 2>/dev/null || true
rm -f "$TMP"/hub.db*
KIOSK=$("$HUBD" --db "$TMP/hub.db" token kiosk bench)
RECEP=$("$HUBD" --db "$TMP/hub.db" token reception bench-desk)
coproc HUBD_PROC2 { exec "$HUBD" --db "$TMP/hub.db" --port 0 --seed "$HERE/fixtures/hub.json"; }
HUBD_PID=$HUBD_PROC2_PID
read -r -t 60 line <&"${HUBD_PROC2[0]}" || { echo "bench-hubd: hubd did not start" >&2; exit 1; }
HPORT=${line##* }
H="http://127.0.0.1:$HPORT"
for i in $(seq 60); do
  printf '{"id":"%08x-0000-4000-8000-%012x","created_at":"2025-03-03T10:15:00Z","lang":"en",%s}' \
    "$i" "$i" '"needs":[],"domains":[],"urgent":false,"chosen_by":"router","consent":false' |
    curl -sf -o /dev/null -H "Authorization: Bearer $KIOSK" -H "Content-Type: application/json" \
      --data-binary @- "$H/api/v1/checkins"
done
mixed() { # LABEL: the board and the posts at once, each its own wrk
  PACE=250 run "board$1" 64 "$H/api/v1/checkins?status=waiting&limit=100" \
    "$HERE/bench_get.lua" "Authorization: Bearer $RECEP" &
  local board=$!
  PACE=250 run "post$1" 16 "$H/api/v1/checkins" "$HERE/bench_post.lua" \
    "Authorization: Bearer $KIOSK" "Content-Type: application/json"
  wait "$board"
}
mixed calm
SLOW_N=${SLOW:-300}
if [ -x "$SLOWHOLD" ]; then
  "$SLOWHOLD" "$HPORT" "$SLOW_N" $((SECS + 4)) >"$TMP/slowhold.out" &
  SLOW_PID=$!
  sleep 2
  mixed slow
  wait "$SLOW_PID" || true
fi
echo "bench-hubd: a hub's day: 64 board pollers + 16 kiosks posting, each every 250 ms, ${SECS}s"
report boardcalm "board GET /checkins limit=100 (64 conns)"
report postcalm "POST /checkins 201 (16 conns)"
if [ -x "$SLOWHOLD" ]; then
  echo "... and while $SLOW_N slow connections are held from the same address: $(cat "$TMP/slowhold.out")"
  report boardslow "board GET /checkins limit=100, under attack"
  report postslow "POST /checkins 201 (16 conns), under attack"
else
  echo "bench-hubd: $SLOWHOLD not built: the slow-connection run skipped"
fi
