#!/usr/bin/env bash
# Estuary alone under one load, loopback only: the rows of BENCHMARKS.md that nginx-rtmp is not compared on.
#
#   bench/estuary-only.sh MODE [N]
#
#   rtmp N          N RTMP players of one publisher (default config)      -> CPU, GB, RSS growth per player after GC
#   http N          N HTTP-FLV players of one publisher (bench/estuary-bench-http.conf)
#   minlat N        N RTMP players, min_latency on (bench/estuary-bench-minlat.conf) -> latency
#   publishers N    N publishers and N players (one per stream)
#   alloc N         N RTMP players with -Xlog:gc and a JFR recording (profile settings) -> bytes allocated per
#                   byte delivered, top allocation sites and CPU frames
#
# Environment: DURATION=60 WARMUP=20 RAMP=250 FILE=path/to.flv (unset: the 20 s lavfi test pattern, made once into
#              bench/out/media/ by bench_media in bench/lib.sh) CONF=(per mode) JAVA_OPTS="" SERVER_CPUS="" BENCH_CPUS=""
#              OUT=bench/out/<mode>-<N>-<timestamp> BENCH_ARGS="" (extra bench options)
# RSS: VmRSS of the server after `jcmd <pid> GC.run`, idle (publisher not connected), idle again after a short
# warm-up load (1 publisher, RSS_WARM_PLAYERS=100 players for RSS_WARM_SECONDS=10 s, then gone; 0 skips it) and 4 s before the
# bench ends (all players connected). Growth per player is printed from both idle figures. LOADED_GC=0 (the
# default in minlat mode) reads the loaded RSS without forcing a GC or a class histogram: both stop the server
# for tens of ms inside the measurement window, which the latency percentiles would count.
# Whole run (the lines as before): CPU is utime+stime of the server, read by this script just before the bench
# starts and after it ends (ramp-up and JIT warm-up included), per GB the bench received over its whole run.
# Window (the "window:" lines): the bench's figures after WARMUP s (its --warmup; same default in every mode: the
# window only adds figures: the whole-run ones, and alloc's allocation between two `jcmd GC.run`, are unchanged),
# with the server's CPU read by the bench itself (--server-pid) at the window's start and at its end: the same span
# as its bytes.
# Both include the full GC that `jcmd GC.run` forces 4 s before the end for the RSS figure.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
MODE=${1:?mode: rtmp|http|minlat|publishers|alloc}
N=${2:-1000}
DURATION=${DURATION:-60}
WARMUP=${WARMUP:-20}
(( DURATION > WARMUP )) || { echo "DURATION ($DURATION s) must be longer than WARMUP ($WARMUP s)" >&2; exit 2; }
RAMP=${RAMP:-250}
JAVA_OPTS=${JAVA_OPTS:-}
SERVER_CPUS=${SERVER_CPUS:-}
BENCH_CPUS=${BENCH_CPUS:-}
BENCH_ARGS=${BENCH_ARGS:-}
OUT=${OUT:-bench/out/$MODE-$N-$(date +%Y%m%d-%H%M%S)}
JAR=$ROOT/target/estuary.jar
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

URL=rtmp://127.0.0.1:19350/live/bench
PUBLISHERS=1
PLAYERS=$N
case $MODE in
  rtmp) CONF=${CONF:-bench/estuary-bench.conf} ;;
  http) CONF=${CONF:-bench/estuary-bench-http.conf}; URL=http://127.0.0.1:18080/live/bench.flv
        BENCH_ARGS="--publish-url rtmp://127.0.0.1:19350/live/bench $BENCH_ARGS" ;;
  minlat) CONF=${CONF:-bench/estuary-bench-minlat.conf}; LOADED_GC=${LOADED_GC:-0} ;;
  publishers) CONF=${CONF:-bench/estuary-bench.conf}; PUBLISHERS=$N ;;
  alloc) CONF=${CONF:-bench/estuary-bench.conf}
         JAVA_OPTS="$JAVA_OPTS -Xlog:gc:file=$OUT/gc.log"
         # ALLOC_JFR=0: only the GC log (JFR's own allocations and overhead left out of the figures)
         if [[ ${ALLOC_JFR:-1} == 1 ]]; then
           JAVA_OPTS="$JAVA_OPTS -XX:StartFlightRecording=settings=profile,filename=$OUT/server.jfr"
         fi ;;
  *) echo "unknown mode $MODE" >&2; exit 2 ;;
esac

LOADED_GC=${LOADED_GC:-1}
source "$ROOT/bench/lib.sh"
FILE=$(bench_media) || exit 2
trap stop_started EXIT
trap 'exit 130' INT TERM

pin() { # run in the background: replaces the subshell, so $! is the command
  local cpus=$1; shift
  if [[ -n $cpus ]]; then exec taskset -c "$cpus" "$@"; else exec "$@"; fi
}
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
rss_kb() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
gc_rss() { jcmd "$1" GC.run >/dev/null; sleep 1; rss_kb "$1"; }

# shellcheck disable=SC2086
pin "$SERVER_CPUS" java $JAVA_OPTS -jar "$JAR" -c "$CONF" > "$OUT/estuary.log" 2>&1 &
SERVER_PID=$!
STARTED+=("$SERVER_PID")
wait_port 19350
sleep 2
RSS0=$(gc_rss "$SERVER_PID")
jcmd "$SERVER_PID" GC.heap_info > "$OUT/heap-idle.txt" 2>&1 || true
if [[ $JAVA_OPTS == *NativeMemoryTracking* ]]; then
  jcmd "$SERVER_PID" VM.native_memory summary > "$OUT/nmt-idle.txt" 2>&1 || true
fi
# A second idle figure after a short load (RSS_WARM_PLAYERS players for RSS_WARM_SECONDS, all gone again): what the
# node keeps once it has served at all (JIT-compiled code, loaded classes, buffer arenas, pool threads), so that
# loaded minus this is what the players themselves cost. RSS_WARM_PLAYERS=0 skips it.
RSS_WARM_PLAYERS=${RSS_WARM_PLAYERS:-100}
RSS_WARM_SECONDS=${RSS_WARM_SECONDS:-10}
RSSW=$RSS0
if (( RSS_WARM_PLAYERS > 0 )); then
  # shellcheck disable=SC2086
  java -jar "$JAR" bench --url "$URL" --players "$RSS_WARM_PLAYERS" --publishers 1 --file "$FILE" \
    --ramp "$RAMP" --duration "$RSS_WARM_SECONDS" --quiet $BENCH_ARGS > "$OUT/bench-warm.log" 2>&1 || true
  sleep 2
  RSSW=$(gc_rss "$SERVER_PID")
fi
CPU0=$(cpu_ticks "$SERVER_PID")
SYS0=$(awk '{print $15}' "/proc/$SERVER_PID/stat")
W0=$(awk '/^syscw/ {print $2}' "/proc/$SERVER_PID/io")
T0=$(date +%s.%N)
CMD="java -jar target/estuary.jar bench --url $URL --players $PLAYERS --publishers $PUBLISHERS --file $FILE --ramp $RAMP --duration $DURATION --warmup $WARMUP --server-pid <server pid> $BENCH_ARGS --json $OUT/bench.json"
echo "server: java $JAVA_OPTS -jar target/estuary.jar -c $CONF" | tee "$OUT/command.txt"
echo "bench:  $CMD" | tee -a "$OUT/command.txt"
# shellcheck disable=SC2086
pin "$BENCH_CPUS" java -jar "$JAR" bench --url "$URL" --players "$PLAYERS" --publishers "$PUBLISHERS" --file "$FILE" \
  --ramp "$RAMP" --duration "$DURATION" --warmup "$WARMUP" --server-pid "$SERVER_PID" $BENCH_ARGS \
  --json "$OUT/bench.json" > "$OUT/bench.log" 2>&1 &
BENCH_PID=$!
STARTED+=("$BENCH_PID")
sleep $((DURATION - 4))
THREADS=$(ls "/proc/$SERVER_PID/task" | wc -l)
if [[ $LOADED_GC == 1 ]]; then
  RSS1=$(gc_rss "$SERVER_PID")
  jcmd "$SERVER_PID" GC.heap_info > "$OUT/heap-loaded.txt" 2>&1 || true
  jcmd "$SERVER_PID" GC.class_histogram 2>/dev/null | head -45 > "$OUT/class-histogram-loaded.txt" || true
else
  RSS1=$(rss_kb "$SERVER_PID") # no forced GC: it would stop the server inside the latency window
fi
grep -E '^(VmRSS|RssAnon|RssFile|RssShmem)' "/proc/$SERVER_PID/status" > "$OUT/rss-loaded.txt" || true
if [[ $JAVA_OPTS == *NativeMemoryTracking* ]]; then
  jcmd "$SERVER_PID" VM.native_memory summary > "$OUT/nmt-loaded.txt" 2>&1 || true
fi
BENCH_RC=0
wait "$BENCH_PID" || BENCH_RC=$?
CPU1=$(cpu_ticks "$SERVER_PID")
SYS1=$(awk '{print $15}' "/proc/$SERVER_PID/stat")
W1=$(awk '/^syscw/ {print $2}' "/proc/$SERVER_PID/io")
thread_cpu "$SERVER_PID" > "$OUT/thread-cpu.txt" || true
T1=$(date +%s.%N)
if [[ $MODE == alloc ]]; then
  jcmd "$SERVER_PID" GC.run >/dev/null
  if [[ ${ALLOC_JFR:-1} == 1 ]]; then jcmd "$SERVER_PID" JFR.dump filename="$OUT/server.jfr" >/dev/null; fi
fi
sed -n '/^summary:/,$p' "$OUT/bench.log" | grep -v 'publisher [0-9]*.*PUBLISHING'
echo "bench exit code $BENCH_RC; server threads $THREADS"

python3 - "$OUT/bench.json" "$RSS0" "$RSS1" "$((CPU1 - CPU0))" "$HZ" "$T0" "$T1" "$MODE" "$((SYS1 - SYS0))" "$((W1 - W0))" "$RSSW" "$LOADED_GC" <<'PY' | tee "$OUT/result.txt"
import json, sys
j = json.load(open(sys.argv[1]))
rss0, rss1, ticks, hz, t0, t1, mode = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]), float(sys.argv[6]), float(sys.argv[7]), sys.argv[8]
gb = j["bytes"] / 1e9
cpu = ticks / hz
lat = j.get("latency_ms", {})
pubs = j.get("publisher_details", [])
publishing = sum(1 for p in pubs if p.get("state", p.get("status", "")) == "PUBLISHING")
print(f'players {j["players"]} played {j["connected"]} failed {j["failed"]} stalled {j["stalled"]}; '
      f'publishers {len(pubs)} publishing {publishing}')
sys_s, writes = int(sys.argv[9]) / hz, int(sys.argv[10])
print(f'GB delivered {gb:.3f}; server CPU-s {cpu:.2f} ({cpu / (t1 - t0) * 100:.0f}% of one core, kernel {sys_s:.2f} s); '
      f'CPU-s/GB {cpu / gb:.2f}; write syscalls {writes / max(1, j["connected"]) / (t1 - t0):.1f} per player per second')
print(f'kbps min {j["kbps"]["min"]:.0f} median {j["kbps"]["median"]:.0f} mean {j["kbps"]["mean"]:.0f}; '
      f'min/620 = {j["kbps"]["min"] / 620:.3f}')
print(f'latency ms p50 {lat.get("p50")} p90 {lat.get("p90")} p99 {lat.get("p99")} max {lat.get("max")} ({lat.get("samples")} samples)')
rssw = int(sys.argv[11])
loaded_gc = sys.argv[12] == "1"
print(f'RSS after GC: idle {rss0 / 1024:.1f} MiB, loaded {rss1 / 1024:.1f} MiB{"" if loaded_gc else " (no GC: LOADED_GC=0)"}, growth {(rss1 - rss0) / max(1, j["connected"]):.1f} KB per player')
if rssw != rss0:
    print(f'RSS after GC: idle after a warm-up load {rssw / 1024:.1f} MiB, growth from it {(rss1 - rssw) / max(1, j["connected"]):.1f} KB per player')
win = j.get("window")
if win:
    wgb = win["bytes"] / 1e9
    wcpu = j.get("server_cpu", {}).get("window", {}).get("cpu_seconds")
    wlat = win.get("latency_ms", {})
    cpu_text = (f'server CPU-s {wcpu:.2f} ({wcpu / win["seconds"] * 100:.0f}% of one core); '
                f'CPU-s/GB {wcpu / wgb if wgb else float("nan"):.2f}') if wcpu is not None else 'server CPU n/a'
    print(f'window: the last {win["seconds"]:.1f} s after a {j.get("warmup_seconds", 0):.0f} s warm-up: '
          f'GB delivered {wgb:.3f}; {cpu_text}')
    print(f'window: kbps min {win["kbps"]["min"]:.0f} median {win["kbps"]["median"]:.0f} mean {win["kbps"]["mean"]:.0f}; '
          f'latency ms p50 {wlat.get("p50")} p90 {wlat.get("p90")} p99 {wlat.get("p99")} max {wlat.get("max")} '
          f'({wlat.get("samples")} samples)')
    for e in j.get("server_cpu", {}).get("errors", []):
        print("window: server CPU:", e)
if j.get("failures"):
    print("failures:", json.dumps(j["failures"])[:500])
PY

if [[ $MODE == alloc ]]; then
  python3 - "$OUT/gc.log" "$OUT/bench.json" <<'PY' | tee -a "$OUT/result.txt"
# bytes allocated = sum over collections of (heap before this one - heap after the previous one), between the
# first and last explicit full GC (jcmd GC.run before and after the bench)
import json, re, sys
unit = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
rows = []
for line in open(sys.argv[1]):
    m = re.search(r"Pause (\S+)(?: \([^)]*\))*.* (\d+)([KMG])->(\d+)([KMG])", line)
    if m:
        rows.append((line, int(m.group(2)) * unit[m.group(3)], int(m.group(4)) * unit[m.group(5)]))
full = [i for i, r in enumerate(rows) if "System.gc" in r[0] or "Diagnostic Command" in r[0]]
a, b = full[0], full[-1]
alloc = sum(rows[i][1] - rows[i - 1][2] for i in range(a + 1, b + 1))
delivered = json.load(open(sys.argv[2]))["bytes"]
print(f"GCs in window {b - a}; allocated {alloc / 1e9:.3f} GB for {delivered / 1e9:.3f} GB delivered: "
      f"{alloc / delivered:.4f} bytes allocated per byte delivered")
PY
  if [[ ${ALLOC_JFR:-1} == 1 ]]; then
    jfr summary "$OUT/server.jfr" > "$OUT/jfr-summary.txt" || true
    python3 bench/jfr-top.py "$OUT/server.jfr" | tee "$OUT/jfr-top.txt" || true
  fi
fi
echo "output in $OUT"
