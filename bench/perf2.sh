#!/usr/bin/env bash
# Every row of issue 15 ("Performance II") in one run: Estuary (this branch's target/estuary.jar, and BEFORE_JAR
# when set) and nginx-rtmp under the same loads, one after the other, loopback only. Prints a Markdown table for
# BENCHMARKS.md (also written to $OUT/table.md).
#
#   bench/perf2.sh
#
# Runs, each a fresh server and one `estuary bench` (WARMUP s, ramp-up included, then a WINDOW s window):
#   rtmp 1000      CPU-s/GB (window), RSS growth per player, rate; its warm-up is FIRST s (default 60): the first
#                  minute's CPU-s/GB against the window's is the JIT warm-up row
#   rtmp 4000      RSS growth per player          rtmp 6000   CPU-s/GB (window)      rtmp 8000   full rate, drops
#   http 1000      RSS growth per player          http 4000   RSS growth per player  http 6000   full rate, drops
#   publishers 200 RSS per publisher, CPU-s per GB received (gop_cache on: the default)
#   nginx-rtmp: rtmp 1000 (CPU-s/GB) and publishers 200 (CPU-s per GB received), the same bench and media
#
# Environment (all optional):
#   WINDOW=60 WARMUP=30 FIRST=60 RAMP=250   seconds and new players per second; a run's warm-up is at least
#                                           players/RAMP + 10 s, so every player is connected when the window starts
#   RTMP_LOW=1000 RTMP_HIGH=6000 RTMP_FULL=8000 HTTP_FULL=6000 RSS_HIGH=4000 PUBLISHERS=200   the loads
#   RUNS="rtmp-low rtmp-rss rtmp-high rtmp-full http-low http-rss http-full publishers"        Estuary runs to do
#   BEFORE_JAR=path/to/estuary.jar          also run every Estuary run on this jar ("before"), same config and bench
#   NGINX=1                                 0: no nginx-rtmp runs (their columns stay empty)
#   JAVA_OPTS=""                            extra JVM options for the Estuary servers (not the bench)
#   CDS=1                                   a jar's AppCDS archive beside it (estuary.jsa, made by `mvn package`) is
#                                           used (-XX:SharedArchiveFile) as README says to; 0: never
#   FILE=path/to.flv                        the FLV published (default: the 622 kbps test pattern of bench/lib.sh)
#   OUT=bench/out/perf2-<timestamp>
#   ESTUARY_PORT=29350 HTTP_PORT=28080 NGINX_PORT=29351   RTMP, HTTP-FLV (Estuary) and nginx-rtmp ports on 127.0.0.1:
#                                           not the bench configs' 19350/18080, which a developer's node may hold;
#                                           the configs (bench/estuary-bench*.conf) are copied with these ports
#   JFR=1                                   each Estuary server records a JFR profile (settings=profile) to
#                                           OUT/<run>.jfr; its top CPU frames and allocation sites (bench/jfr-top.py)
#                                           go to OUT/<run>.jfr-top.txt. It costs CPU: not for the final figures
#   TABLE_ONLY=1                            no runs: print the table of the runs already in OUT again
#   QUIET_LOAD=1.0                          wait (up to 5 min) for the 1-minute load average to fall below this
#                                           before starting; the load average is printed before and after each run
#
# Figures. CPU is the server's utime+stime (nginx: master + worker), read by the bench at the window's start and
# end (--server-pid), over the GB the players received in the window (RTMP/FLV framing included). Rate: each
# player's kbps over the window, the lowest one over the media's bitrate (file size × 8 / duration, FLV framing
# included, as the players' bytes are); drops: players that failed or stalled (no media for 3 s) over the whole
# run. RSS: VmRSS of the server (nginx: master + workers), idle 2 s after start and 3 s before the window ends, no
# forced GC; growth per player (per publisher) is the difference over the number connected. Publishers: CPU over
# the window, per GB the publishers sent in it (their whole-run bytes × window / run: they send in real time).
# First minute: the server's CPU-s/GB over the rtmp-low run's warm-up (FIRST s from the bench's start: ramp-up, JIT
# and all) against its window's; what the server used from its own start to the bench's is listed per run. Under
# the table, per run: the load average, the server's threads and start-up CPU, the bench's own CPU (on a 2-core box
# it shares the CPUs with the server) and the RSS figures.
#
# Total time of the default full run: about 18 minutes without BEFORE_JAR, 32 with it (each run is
# max(WARMUP, players/RAMP + 10) + WINDOW s, rtmp-low's FIRST + WINDOW, plus ~10 s of start and stop), and up to
# 5 minutes more waiting for QUIET_LOAD. Smoke run, about 5 minutes (10 with BEFORE_JAR):
#   WINDOW=8 WARMUP=5 FIRST=6 RTMP_LOW=100 RTMP_HIGH=200 RTMP_FULL=300 HTTP_FULL=200 RSS_HIGH=200 PUBLISHERS=10 \
#     RAMP=500 QUIET_LOAD=99 bench/perf2.sh
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$(pwd)
WINDOW=${WINDOW:-60}
WARMUP=${WARMUP:-30}
FIRST=${FIRST:-60}
RAMP=${RAMP:-250}
RTMP_LOW=${RTMP_LOW:-1000}
RTMP_HIGH=${RTMP_HIGH:-6000}
RTMP_FULL=${RTMP_FULL:-8000}
HTTP_FULL=${HTTP_FULL:-6000}
RSS_HIGH=${RSS_HIGH:-4000}
PUBLISHERS=${PUBLISHERS:-200}
RUNS=${RUNS:-rtmp-low rtmp-rss rtmp-high rtmp-full http-low http-rss http-full publishers}
NGINX=${NGINX:-1}
JAVA_OPTS=${JAVA_OPTS:-}
QUIET_LOAD=${QUIET_LOAD:-1.0}
CDS=${CDS:-1}
JFR=${JFR:-0}
OUT=${OUT:-bench/out/perf2-$(date +%Y%m%d-%H%M%S)}
JAR=$ROOT/target/estuary.jar
ESTUARY_PORT=${ESTUARY_PORT:-29350}
HTTP_PORT=${HTTP_PORT:-28080}
NGINX_PORT=${NGINX_PORT:-29351}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

[[ -f $JAR ]] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 2; }
if [[ -n ${BEFORE_JAR:-} ]]; then
  [[ -f $BEFORE_JAR ]] || { echo "BEFORE_JAR=$BEFORE_JAR: no such file" >&2; exit 2; }
  BEFORE_JAR=$(cd "$(dirname "$BEFORE_JAR")" && pwd)/$(basename "$BEFORE_JAR")
fi
source "$ROOT/bench/lib.sh"
FILE=$(bench_media) || exit 2
if [[ $NGINX == 1 ]] && { ! command -v nginx >/dev/null || [[ ! -f $RTMP_SO ]]; }; then
  echo "nginx-rtmp is not installed (apt-get install nginx-light libnginx-mod-rtmp), or NGINX=0" >&2; exit 2
fi
MEDIA_KBPS=$(ffprobe -v error -show_entries format=size,duration -of csv=p=0 "$FILE" |
  awk -F, '{printf "%.1f", $2 * 8 / $1 / 1000}') # csv order: duration,size
TMP=$(mktemp -d /tmp/estuary-perf2.XXXXXX)
chmod 755 "$TMP" # nginx's workers (user nobody) reach the relay sockets below it
trap 'stop_started; rm -rf "$TMP"' EXIT
for c in estuary-bench.conf estuary-bench-http.conf; do
  sed "s/127\.0\.0\.1:19350/127.0.0.1:$ESTUARY_PORT/; s/127\.0\.0\.1:18080/127.0.0.1:$HTTP_PORT/" "bench/$c" > "$TMP/$c"
done
trap 'exit 130' INT TERM

ticks() { local t=0 p; for p in $(server_pids "$1"); do
  [[ -r /proc/$p/stat ]] && t=$((t + $(awk '{print $14 + $15}' "/proc/$p/stat"))); done; echo "$t"; }
rss_kb() { local t=0 p; for p in $(server_pids "$1"); do
  [[ -r /proc/$p/status ]] && t=$((t + $(awk '/^VmRSS/ {print $2}' "/proc/$p/status"))); done; echo "$t"; }
load1() { cut -d' ' -f1 /proc/loadavg; }

wait_quiet() {
  local i
  for i in $(seq 1 60); do
    awk -v l="$(load1)" -v q="$QUIET_LOAD" 'BEGIN {exit !(l < q)}' && return 0
    (( i == 1 )) && echo "load average $(load1) >= $QUIET_LOAD: waiting for it to fall (at most 5 min)" >&2
    sleep 5
  done
  echo "load average still $(load1): starting anyway" >&2
}

# start_server PORT NAME CMD...: starts the server once PORT is free (the last run's server gone), waits for it to
# listen, and starts it again once if it exited (a port still held when it bound). Sets SERVER_PID.
start_server() {
  local port=$1 name=$2 attempt; shift 2
  for attempt in 1 2; do
    for _ in $(seq 1 150); do (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || break; sleep 0.1; done
    "$@" >> "$OUT/$name.server.log" 2>&1 &
    SERVER_PID=$!; STARTED+=("$SERVER_PID")
    if wait_port "$port" && sleep 1 && kill -0 "$SERVER_PID" 2>/dev/null; then return 0; fi
    echo "$name: the server did not start (attempt $attempt, see $OUT/$name.server.log)" >&2
    kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true
    sleep 5
  done
  return 1
}

# run NAME SERVER MODE N: SERVER is estuary, before or nginx; MODE rtmp, http or publishers; N players or publishers
run() {
  local name=$1 server=$2 mode=$3 n=$4 warm=$WARMUP
  local players=$n publishers=1 url args=()
  [[ $mode == publishers ]] && { players=0; publishers=$n; }
  local ramp_s=$(( (players + ${RAMP%.*} - 1) / ${RAMP%.*} + 10 ))
  (( warm >= ramp_s )) || warm=$ramp_s
  [[ $name == *-low && $mode == rtmp ]] && { (( FIRST >= warm )) && warm=$FIRST; }
  local duration=$((warm + WINDOW))
  local load0 started=1; load0=$(load1)
  case $server in
    nginx)
      nginx_conf "$TMP/nginx" "$NGINX_PORT" 1
      start_server "$NGINX_PORT" "$name" nginx -p "$TMP/nginx" -c "$TMP/nginx/nginx.conf" -g 'daemon off;' || started=0
      url=rtmp://127.0.0.1:$NGINX_PORT/live/bench ;;
    *)
      local jar=$JAR conf=$TMP/estuary-bench.conf
      [[ $server == before ]] && jar=$BEFORE_JAR
      [[ $mode == http ]] && conf=$TMP/estuary-bench-http.conf
      local cds=()
      [[ $CDS == 1 && -f ${jar%.jar}.jsa ]] && cds=(-XX:SharedArchiveFile="${jar%.jar}.jsa")
      [[ $JFR == 1 ]] && cds+=(-XX:StartFlightRecording=settings=profile,dumponexit=true,filename="$OUT/$name.jfr")
      # shellcheck disable=SC2086
      start_server "$ESTUARY_PORT" "$name" java ${cds[@]+"${cds[@]}"} $JAVA_OPTS -jar "$jar" -c "$conf" || started=0
      url=rtmp://127.0.0.1:$ESTUARY_PORT/live/bench
      if [[ $mode == http ]]; then
        wait_port "$HTTP_PORT"
        url=http://127.0.0.1:$HTTP_PORT/live/bench.flv; args=(--publish-url "rtmp://127.0.0.1:$ESTUARY_PORT/live/bench")
      fi ;;
  esac
  if (( ! started )); then
    printf '{"name":"%s","server":"%s","mode":"%s","n":%d,"rss0":0,"rss1":0,"start_ticks":0,"hz":%d,"threads":0,"bench_ticks":0,"load0":%s,"load1":%s,"warmup":%d,"duration":%d}\n' \
      "$name" "$server" "$mode" "$n" "$HZ" "$load0" "$(load1)" "$warm" "$duration" >> "$OUT/runs.jsonl"
    return 0
  fi
  sleep 2
  local rss0 start_ticks; rss0=$(rss_kb "$SERVER_PID"); start_ticks=$(ticks "$SERVER_PID")
  echo "[$(date +%T)] $name: $server $mode $n, warm-up ${warm} s + window ${WINDOW} s, load $load0" >&2
  java -jar "$JAR" bench --url "$url" "${args[@]+"${args[@]}"}" --players "$players" --publishers "$publishers" \
    --file "$FILE" --ramp "$RAMP" --duration "$duration" --warmup "$warm" \
    --server-pid "$(server_pid_list "$SERVER_PID")" --quiet --json "$OUT/$name.json" > "$OUT/$name.bench.log" 2>&1 &
  local bench_pid=$!; STARTED+=("$bench_pid")
  sleep $((duration - 3))
  local rss1 threads bench_ticks; rss1=$(rss_kb "$SERVER_PID"); threads=$(ls "/proc/$SERVER_PID/task" 2>/dev/null | wc -l)
  bench_ticks=$(awk '{print $14 + $15}' "/proc/$bench_pid/stat" 2>/dev/null || echo 0)
  wait "$bench_pid" || echo "$name: bench exited with $? (see $OUT/$name.bench.log)" >&2
  if [[ $server != nginx ]]; then thread_cpu "$SERVER_PID" > "$OUT/$name.thread-cpu.txt" || true; fi
  kill "$SERVER_PID" 2>/dev/null || true
  for _ in $(seq 1 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$SERVER_PID" 2>/dev/null || true
  wait "$SERVER_PID" 2>/dev/null || true
  printf '{"name":"%s","server":"%s","mode":"%s","n":%d,"rss0":%d,"rss1":%d,"start_ticks":%d,"hz":%d,"threads":%d,"bench_ticks":%d,"load0":%s,"load1":%s,"warmup":%d,"duration":%d}\n' \
    "$name" "$server" "$mode" "$n" "$rss0" "$rss1" "$start_ticks" "$HZ" "$threads" "$bench_ticks" "$load0" "$(load1)" \
    "$warm" "$duration" >> "$OUT/runs.jsonl"
  if [[ $JFR == 1 && -f $OUT/$name.jfr ]]; then python3 bench/jfr-top.py "$OUT/$name.jfr" > "$OUT/$name.jfr-top.txt" 2>&1 || true; fi
  sleep 3 # sockets of this run closed before the next server starts
}

# the servers of each Estuary run, "before" first
ESTUARY_SERVERS=estuary
[[ -n ${BEFORE_JAR:-} ]] && ESTUARY_SERVERS="before estuary"
T0=$(date +%s)
if [[ ${TABLE_ONLY:-0} == 1 ]]; then RUNS=""; NGINX=0; else
wait_quiet
echo "perf2: OUT=$OUT media $(basename "$FILE") ${MEDIA_KBPS} kbps; nproc $(nproc); ulimit -n $(ulimit -n); load $(load1)" | tee "$OUT/header.txt" >&2
for r in $RUNS; do
  for s in $ESTUARY_SERVERS; do
    case $r in
      rtmp-low) run "$s-rtmp-low" "$s" rtmp "$RTMP_LOW" ;;
      rtmp-rss) run "$s-rtmp-rss" "$s" rtmp "$RSS_HIGH" ;;
      rtmp-high) run "$s-rtmp-high" "$s" rtmp "$RTMP_HIGH" ;;
      rtmp-full) run "$s-rtmp-full" "$s" rtmp "$RTMP_FULL" ;;
      http-low) run "$s-http-low" "$s" http "$RTMP_LOW" ;;
      http-rss) run "$s-http-rss" "$s" http "$RSS_HIGH" ;;
      http-full) run "$s-http-full" "$s" http "$HTTP_FULL" ;;
      publishers) run "$s-publishers" "$s" publishers "$PUBLISHERS" ;;
      *) echo "unknown run $r" >&2; exit 2 ;;
    esac
  done
done
if [[ $NGINX == 1 ]]; then
  run nginx-rtmp-low nginx rtmp "$RTMP_LOW"
  run nginx-publishers nginx publishers "$PUBLISHERS"
fi
echo $(( $(date +%s) - T0 )) > "$OUT/elapsed.txt"
fi
ELAPSED=$(cat "$OUT/elapsed.txt" 2>/dev/null || echo 0)

python3 - "$OUT" "$MEDIA_KBPS" "$ELAPSED" <<'PY' | tee "$OUT/table.md"
import json, os, sys
out, media_kbps, elapsed = sys.argv[1], float(sys.argv[2]), int(sys.argv[3])
runs = {}
for line in open(os.path.join(out, "runs.jsonl")):
    r = json.loads(line)
    path = os.path.join(out, r["name"] + ".json")
    r["bench"] = json.load(open(path)) if os.path.exists(path) else None
    runs[r["name"]] = r
servers = [s for s in ("before", "estuary", "nginx") if any(r["server"] == s for r in runs.values())]

def get(server, run):
    return runs.get(f"{server}-{run}")

def window_cpu(r):
    b = r["bench"]
    return (b or {}).get("server_cpu", {}).get("window", {}).get("cpu_seconds")

def cpu_per_gb(r):
    if not r or not r["bench"]:
        return None
    cpu, gb = window_cpu(r), r["bench"]["window"]["bytes"] / 1e9
    return cpu / gb if cpu is not None and gb else None

def first_minute(r):  # CPU-s/GB over the warm-up (from the bench's start), and the window's
    if not r or not r["bench"]:
        return None
    b = r["bench"]
    tot = b.get("server_cpu", {}).get("total", {}).get("cpu_seconds")
    win = window_cpu(r)
    gb = (b["bytes"] - b["window"]["bytes"]) / 1e9
    if tot is None or win is None or not gb:
        return None
    return (tot - win) / gb

def rate(r):
    if not r or not r["bench"]:
        return None
    b = r["bench"]
    return f'{b["window"]["kbps"]["min"] / media_kbps:.2f}× (min {b["window"]["kbps"]["min"]:.0f} kbps)'

def drops(r):
    if not r or not r["bench"]:
        return "no result"
    b = r["bench"]
    lost = b["players"] - b["connected"] + b["stalled"]
    return f'{b["connected"]}/{b["players"]} played, {b["failed"]} failed, {b["stalled"]} stalled' + ("" if lost == 0 and b["failed"] == 0 else " **dropped**")

def rss_per(r):
    if not r or not r["bench"]:
        return None
    b = r["bench"]
    units = b["publishers"] if r["mode"] == "publishers" else b["connected"]
    return (r["rss1"] - r["rss0"]) / max(1, units)

def pub_cpu_per_gb(r):
    if not r or not r["bench"]:
        return None
    b = r["bench"]
    sent = sum(p.get("bytes", 0) for p in b.get("publisher_details", [])) / 1e9
    win = window_cpu(r)
    gb = sent * b["window"]["seconds"] / b["seconds"] if b.get("seconds") else None
    return win / gb if win is not None and gb else None

def bench_cpu(r):
    if not r or not r["bench"]:
        return None
    return r["bench_ticks"] / r["hz"] / max(1, r["duration"]) * 100

def fmt(v, f=".2f", suffix=""):
    return "—" if v is None else format(v, f) + suffix

def cell(server, run, fn, f=".2f", suffix=""):
    r = get(server, run)
    return "—" if r is None else fmt(fn(r), f, suffix)

rows = []
def row(label, fn, runs_, f=".2f", suffix="", target=""):
    rows.append([label] + [cell(s, runs_, fn, f, suffix) if not callable(runs_) else runs_(s) for s in servers] + [target])

low = lambda: runs.get("estuary-rtmp-low")
n = lambda run: (get("estuary", run) or get("before", run) or get("nginx", run) or {}).get("n", "?")
row(f'{n("rtmp-low")} RTMP players: CPU-s/GB (window)', cpu_per_gb, "rtmp-low",
    target="≤ 0.18× nginx-rtmp's")
row(f'{n("rtmp-high")} RTMP players: CPU-s/GB (window)', cpu_per_gb, "rtmp-high",
    target=f'≤ the {n("rtmp-low")}-player figure')
for run, label in (("rtmp-full", "RTMP"), ("http-full", "HTTP-FLV")):
    rows.append([f'{n(run)} {label} players: lowest rate over the window / media rate'] +
                [rate(get(s, run)) or "—" for s in servers] + ["≥ 0.9×"])
    rows.append([f'{n(run)} {label} players: played, failed, stalled'] +
                [drops(get(s, run)) if get(s, run) else "—" for s in servers] + ["none dropped"])
for run, label, tgt in (("rtmp-low", "RTMP", 20), ("rtmp-rss", "RTMP", 20), ("http-low", "HTTP-FLV", 32),
                        ("http-rss", "HTTP-FLV", 32)):
    row(f'{n(run)} {label} players: RSS growth per player, no GC', rss_per, run, ".1f", " KB", f"≤ {tgt} KB")
row(f'{n("publishers")} publishers: RSS per publisher, no GC', rss_per, "publishers", ".1f", " KB", "≤ 400 KB")
row(f'{n("publishers")} publishers: CPU-s per GB received (window)', pub_cpu_per_gb, "publishers",
    target="≤ 0.75× nginx-rtmp's")
def jit(s):
    r = get(s, "rtmp-low")
    if s == "nginx" or not r:
        return "—"
    fm, st = first_minute(r), cpu_per_gb(r)
    if fm is None or not st:
        return "—"
    return f'{fm:.2f} vs {st:.2f} CPU-s/GB: +{(fm / st - 1) * 100:.0f}%'
rows.append([f'{n("rtmp-low")} RTMP players: CPU-s/GB over the first {low()["warmup"] if low() else "?"} s vs the window after'] +
            [jit(s) for s in servers] + ["≤ +25%"])

# ratios against nginx-rtmp in the same run
ratios = []
for s in servers:
    if s == "nginx":
        continue
    a, b = cpu_per_gb(get(s, "rtmp-low")) if get(s, "rtmp-low") else None, cpu_per_gb(get("nginx", "rtmp-low")) if get("nginx", "rtmp-low") else None
    c, d = pub_cpu_per_gb(get(s, "publishers")) if get(s, "publishers") else None, pub_cpu_per_gb(get("nginx", "publishers")) if get("nginx", "publishers") else None
    if a and b:
        ratios.append(f'{s}: RTMP CPU-s/GB {a / b:.2f}× nginx-rtmp\'s')
    if c and d:
        ratios.append(f'{s}: publishers CPU-s per GB received {c / d:.2f}× nginx-rtmp\'s')

print("| load | " + " | ".join(servers) + " | target |")
print("| --- | " + " | ".join("---" for _ in servers) + " | --- |")
for r in rows:
    print("| " + " | ".join(str(c) for c in r) + " |")
print()
for t in ratios:
    print(f"- {t}")
print()
print("Runs (load, warm-up + window s, load average before → after, server threads, the server's CPU from its start to the bench's, "
      "bench CPU % of one core, RSS idle → 3 s before the end):")
for r in runs.values():
    print(f'- {r["name"]}: {r["mode"]} {r["n"]}, {r["warmup"]} + {r["duration"] - r["warmup"]} s, load {r["load0"]} → {r["load1"]}, '
          f'threads {r["threads"]}, server start {r["start_ticks"] / r["hz"]:.2f} CPU-s, bench CPU {fmt(bench_cpu(r), ".0f", "%")}, RSS idle {r["rss0"] / 1024:.0f} → {r["rss1"] / 1024:.0f} MiB')
print(f"\nmedia {media_kbps:.0f} kbps; total time {elapsed // 60} min {elapsed % 60} s; output in {out}")
PY
