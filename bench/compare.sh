#!/usr/bin/env bash
# Estuary vs nginx-rtmp, same load, same machine, loopback only.
#
#   bench/compare.sh [PLAYERS [DURATION]]
#
# Environment (all optional):
#   PLAYERS=1000 DURATION=60 RAMP=250  players, seconds (ramp included), new players per second
#   WARMUP=20                           the bench's --warmup: the window columns start WARMUP s into the run
#   FILE=path/to.flv                            the FLV the bench publishes (one publisher per server); unset:
#                                               the 20 s lavfi test pattern, made once into bench/out/media/
#                                               (bench_media in bench/lib.sh: the tests' recipe)
#   ESTUARY_CONF=bench/estuary-bench.conf      Estuary config (must listen on 127.0.0.1:$ESTUARY_PORT)
#   ESTUARY_PORT=19350 NGINX_PORT=19351
#   JAVA_OPTS=""                                extra JVM options for the Estuary server
#   SERVER_CPUS="" BENCH_CPUS=""                optional taskset CPU lists (e.g. SERVER_CPUS=1 BENCH_CPUS=0)
#   MODE=rtmp                                   rtmp: PLAYERS RTMP players of one publisher; http: PLAYERS HTTP-FLV players of
#                                               one publisher (ESTUARY_CONF defaults to bench/estuary-bench-http.conf);
#                                               publishers: PUBLISHERS publishers (and PLAYERS players, 0 allowed), one
#                                               stream each. http and publishers: Estuary builds only (no nginx)
#   PUBLISHERS=1                                publishers in MODE=publishers
#   RSS_GC=0                                    1: also RSS after `jcmd GC.run`, idle and under load (after the
#                                               sample without GC), and the growth from them per player or publisher
#   SERVERS="estuary nginx"                    which servers to run, in order; "before" runs the Estuary server of
#                                               BEFORE_JAR (e.g. an older build) with the same config and bench
#   BEFORE_JAR=""                               the jar "before" serves from (the bench always runs from target/)
#   NGINX_WORKERS=1                             nginx worker_processes. 'auto' (2 here) left about half of the
#                                               players stalled: nginx-rtmp's live streams stay in the publisher's
#                                               worker, and rtmp_auto_push did not relay them in this setup
#   OUT=bench/out/compare-<timestamp>           where logs and JSON summaries go
#
# Columns. GB, CPU-s, CPU-s/GB, CPU%, kbps, lat: the whole run. CPU is utime+stime from /proc/<pid>/stat (nginx:
# master + workers), read by this script just before the bench starts and after it ends, so the ramp-up and
# Estuary's JIT warm-up are in it; GB delivered is the bench's received byte total (RTMP framing included).
# win GB, win CPU-s, win CPU-s/GB, win lat p50/p99: the steady state, the bench's window after WARMUP s: its bytes,
# and the server's CPU that the bench itself read (--server-pid) at the window's start and at its end, so bytes and
# CPU cover exactly the same span ("n/a" if a server process vanished: see the bench log).
# RSS is VmRSS summed over the server's processes, idle (publisher not yet connected) and under load (sampled 3 s
# before the bench ends); kernel share is stime / (utime + stime); writes/player/s is the server's write syscalls
# (syscw in /proc/<pid>/io: write, writev) per player per second: n/a for nginx-rtmp, which sends with send(2),
# not counted there.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
PLAYERS=${1:-${PLAYERS:-1000}}
DURATION=${2:-${DURATION:-60}}
WARMUP=${WARMUP:-20}
(( DURATION >= 5 )) || { echo "DURATION must be at least 5 s" >&2; exit 2; }
(( DURATION > WARMUP )) || { echo "DURATION ($DURATION s) must be longer than WARMUP ($WARMUP s)" >&2; exit 2; }
RAMP=${RAMP:-250}
MODE=${MODE:-rtmp}
PUBLISHERS=${PUBLISHERS:-1}
RSS_GC=${RSS_GC:-0}
case $MODE in
  rtmp) PUBLISHERS=1; DEFAULT_CONF=bench/estuary-bench.conf ;;
  http) PUBLISHERS=1; DEFAULT_CONF=bench/estuary-bench-http.conf ;;
  publishers) DEFAULT_CONF=bench/estuary-bench.conf ;;
  *) echo "MODE must be rtmp, http or publishers" >&2; exit 2 ;;
esac
ESTUARY_CONF=${ESTUARY_CONF:-$DEFAULT_CONF}
ESTUARY_PORT=${ESTUARY_PORT:-19350}
NGINX_PORT=${NGINX_PORT:-19351}
JAVA_OPTS=${JAVA_OPTS:-}
SERVER_CPUS=${SERVER_CPUS:-}
BENCH_CPUS=${BENCH_CPUS:-}
SERVERS=${SERVERS:-estuary nginx}
if [[ $MODE != rtmp && $SERVERS == *nginx* ]]; then echo "MODE=$MODE: Estuary builds only (SERVERS=\"before estuary\")" >&2; exit 2; fi
NGINX_WORKERS=${NGINX_WORKERS:-1}
OUT=${OUT:-bench/out/compare-$(date +%Y%m%d-%H%M%S)}
JAR=$ROOT/target/estuary.jar
mkdir -p "$OUT"

[[ -f $JAR ]] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 2; }
source "$ROOT/bench/lib.sh"
FILE=$(bench_media) || exit 2

# (a) nginx + nginx-rtmp (Debian: nginx-light + libnginx-mod-rtmp provides ngx_rtmp_module.so)
if [[ $SERVERS == *nginx* ]] && { ! command -v nginx >/dev/null || [[ ! -f $RTMP_SO ]]; }; then
  echo "installing nginx-light + libnginx-mod-rtmp" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light libnginx-mod-rtmp >/dev/null
  # the package may start a system nginx on :80; we never use it, and leave it as the package set it up
fi

TMP=$(mktemp -d /tmp/estuary-compare.XXXXXX)
cleanup() {
  stop_started
  rm -rf "$TMP"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

pin() { # pin CPUS cmd... (run in the background: replaces the subshell, so $! is the command)
  local cpus=$1; shift
  if [[ -n $cpus ]]; then exec taskset -c "$cpus" "$@"; else exec "$@"; fi
}

cpu_ticks() { local t=0 p; for p in $(server_pids "$1"); do
  [[ -r /proc/$p/stat ]] && t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo "$t"; }
sys_ticks() { local t=0 p; for p in $(server_pids "$1"); do
  [[ -r /proc/$p/stat ]] && t=$((t + $(awk '{print $15}' "/proc/$p/stat"))); done; echo "$t"; }
syscw() { local t=0 p; for p in $(server_pids "$1"); do
  [[ -r /proc/$p/io ]] && t=$((t + $(awk '/^syscw/ {print $2}' "/proc/$p/io"))); done; echo "$t"; }
rss_kb() { local t=0 p; for p in $(server_pids "$1"); do
  [[ -r /proc/$p/status ]] && t=$((t + $(awk '/^VmRSS/ {print $2}' "/proc/$p/status"))); done; echo "$t"; }


start_nginx() {
  chmod 755 "$TMP" # nginx's workers (user nobody) reach the relay sockets below it
  nginx_conf "$TMP/nginx" "$NGINX_PORT" "$NGINX_WORKERS"
  pin "$SERVER_CPUS" nginx -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" -g 'daemon off;' \
    > "$OUT/nginx.log" 2>&1 &
  SERVER_PID=$!
  STARTED+=("$SERVER_PID")
  wait_port "$NGINX_PORT"
  SERVER_URL=rtmp://127.0.0.1:$NGINX_PORT/live/bench
}

start_estuary() {
  start_estuary_jar "$JAR" estuary
}

start_before() {
  [[ -f ${BEFORE_JAR:-} ]] || { echo "SERVERS has 'before': set BEFORE_JAR to a jar" >&2; exit 2; }
  start_estuary_jar "$BEFORE_JAR" before
}

start_estuary_jar() {
  # shellcheck disable=SC2086
  pin "$SERVER_CPUS" java $JAVA_OPTS -jar "$1" -c "$ESTUARY_CONF" > "$OUT/$2.log" 2>&1 &
  SERVER_PID=$!
  STARTED+=("$SERVER_PID")
  wait_port "$ESTUARY_PORT"
  SERVER_URL=rtmp://127.0.0.1:$ESTUARY_PORT/live/bench
  PUBLISH_ARGS=()
  if [[ $MODE == http ]]; then
    SERVER_URL=http://127.0.0.1:18080/live/bench.flv
    PUBLISH_ARGS=(--publish-url "rtmp://127.0.0.1:$ESTUARY_PORT/live/bench")
  fi
}

gc_rss() { jcmd "$1" GC.run >/dev/null 2>&1 || true; sleep 1; rss_kb "$1"; }

stop_server() {
  kill "$SERVER_PID" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
}

ROWS=()
PUBLISH_ARGS=()
run_one() {
  local name=$1
  "start_$name"
  sleep 2 # let the JIT/workers settle
  local rss0 cpu0 cpu1 rss1 bench_pid w0 w1 s0 s1 rss0gc=0 rss1gc=0
  rss0=$(rss_kb "$SERVER_PID")
  if [[ $RSS_GC == 1 ]]; then rss0gc=$(gc_rss "$SERVER_PID"); fi
  cpu0=$(cpu_ticks "$SERVER_PID")
  w0=$(syscw "$SERVER_PID")
  s0=$(sys_ticks "$SERVER_PID")
  local t0; t0=$(date +%s.%N)
  pin "$BENCH_CPUS" java -jar "$JAR" bench --url "$SERVER_URL" --players "$PLAYERS" --publishers "$PUBLISHERS" \
    ${PUBLISH_ARGS[@]+"${PUBLISH_ARGS[@]}"} \
    --file "$FILE" --ramp "$RAMP" --duration "$DURATION" --warmup "$WARMUP" --server-pid "$(server_pid_list "$SERVER_PID")" \
    --json "$OUT/$name.json" > "$OUT/$name.bench.log" 2>&1 &
  bench_pid=$!
  STARTED+=("$bench_pid")
  sleep $((DURATION - 3))
  rss1=$(rss_kb "$SERVER_PID")
  if [[ $RSS_GC == 1 ]]; then rss1gc=$(gc_rss "$SERVER_PID"); jcmd "$SERVER_PID" GC.heap_info > "$OUT/$name.heap-loaded.txt" 2>&1 || true; fi
  wait "$bench_pid" || echo "bench against $name exited with $?" >&2
  cpu1=$(cpu_ticks "$SERVER_PID")
  thread_cpu "$SERVER_PID" > "$OUT/$name.thread-cpu.txt" || true
  w1=$(syscw "$SERVER_PID")
  s1=$(sys_ticks "$SERVER_PID")
  local t1; t1=$(date +%s.%N)
  stop_server
  sed -n '/^summary:/,$p' "$OUT/$name.bench.log" >&2
  local row
  row=$(python3 - "$OUT/$name.json" "$name" "$rss0" "$rss1" "$((cpu1 - cpu0))" "$HZ" "$t0" "$t1" "$((w1 - w0))" "$((s1 - s0))" "$MODE" "$rss0gc" "$rss1gc" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
writes = int(sys.argv[9])
sys_share = int(sys.argv[10]) / max(1, int(sys.argv[5]))
name, rss0, rss1, ticks, hz, t0, t1 = sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6]), float(sys.argv[7]), float(sys.argv[8])
gb = j["bytes"] / 1e9
cpu = ticks / hz
gb_in = None
lat = j.get("latency_ms", {})
players = j["players"]
mode, rss0gc, rss1gc = sys.argv[11], int(sys.argv[12]), int(sys.argv[13])
units = j["publishers"] if mode == "publishers" else j["connected"]
per = (rss1 - rss0) / max(1, units)
per_gc = f'{rss0gc / 1024:.0f} → {rss1gc / 1024:.0f}: {(rss1gc - rss0gc) / max(1, units):.1f}' if rss1gc else 'n/a'
if mode == "publishers": # the server's CPU per GB it received: what the publishers sent
    gb_in = sum(p.get("bytes", 0) for p in j.get("publisher_details", [])) / 1e9
wps = f'{writes / max(1, j["connected"]) / (t1 - t0):.1f}' if writes else 'n/a'
win = j.get("window", {})
win_gb = win.get("bytes", 0) / 1e9
win_cpu = j.get("server_cpu", {}).get("window", {}).get("cpu_seconds")
win_lat = win.get("latency_ms", {})
def num(v, fmt='.2f'):
    return 'n/a' if v is None else format(v, fmt)
print(f'{name}|{players}|{j["connected"]}/{j["failed"]}/{j["stalled"]}|{gb:.3f}|{cpu:.2f}|{cpu / gb if gb else float("nan"):.2f}|'
      f'{cpu / (t1 - t0) * 100:.0f}%|{rss0 / 1024:.0f}|{rss1 / 1024:.0f}|{per:.1f}|'
      f'{j.get("kbps", {}).get("min", 0):.0f}/{j.get("kbps", {}).get("median", 0):.0f}|{lat.get("p50", float("nan")):.1f}/{lat.get("p99", float("nan")):.1f}|'
      f'{wps}|{sys_share * 100:.0f}%|{win_gb:.3f}|{num(win_cpu)}|{num(win_cpu / win_gb if win_cpu is not None and win_gb else None)}|'
      f'{num(win_lat.get("p50"), ".1f")}/{num(win_lat.get("p99"), ".1f")}|{per_gc}|'
      f'{num(cpu / gb_in if gb_in else None)}')
PY
  ) || row="$name|$PLAYERS|no bench summary (see $OUT/$name.bench.log)|||||||||||||||||"
  ROWS+=("$row")
}

for s in $SERVERS; do run_one "$s"; done

{
  echo "mode=$MODE publishers=$PUBLISHERS players=$PLAYERS duration=${DURATION}s warmup=${WARMUP}s ramp=$RAMP/s file=$(basename "$FILE") server_cpus=${SERVER_CPUS:-any} bench_cpus=${BENCH_CPUS:-any}"
  FORMAT='| %-7s | %7s | %-21s | %6s | %6s | %8s | %8s | %9s | %9s | %10s | %13s | %15s | %15s | %12s | %6s | %9s | %12s | %19s | %24s | %13s |\n'
  # shellcheck disable=SC2059
  printf "$FORMAT" server players "played/failed/stalled" "GB" "CPU-s" "CPU-s/GB" "CPU%" "RSS0 MiB" "RSS MiB" "KB/player" \
    "kbps min/med" "lat p50/p99 ms" "writes/player/s" "kernel share" "win GB" "win CPU-s" "win CPU-s/GB" "win lat p50/p99 ms" \
    "after GC MiB: KB/unit" "CPU-s/GB in"
  printf '|%s|\n' "---------|---------|-----------------------|--------|--------|----------|----------|-----------|-----------|------------|---------------|-----------------|-----------------|--------------|--------|-----------|--------------|---------------------|--------------------------|---------------"
  for r in "${ROWS[@]}"; do
    IFS='|' read -r a b c d e f g h i j k l m n o p q r2 s2 t2 <<< "$r"
    # shellcheck disable=SC2059
    printf "$FORMAT" "$a" "$b" "$c" "$d" "$e" "$f" "$g" "$h" "$i" "$j" "$k" "$l" "$m" "$n" "$o" "$p" "$q" "$r2" "$s2" "$t2"
  done
} | tee "$OUT/table.md"
