#!/usr/bin/env bash
# Edge fan-out on this machine: one Estuary origin and two Estuary edges (SRS's static edge: cluster { mode remote; }),
# one publisher on the origin (the bench's), N bench players on the origin or on the edges. For each run: players at
# full rate, the origin's connections (its /api/v1/clients/ count: the publisher and the edges' upstreams) and the
# origin's and edges' CPU in the bench's window, and the latency players see (publish on the origin, play where asked).
#
#   bench/edge-fanout.sh [PLAYERS...]         default: 250 1000
#
# For each N, three runs: all N players on the origin; all on edge 1; N/2 on each edge (a second bench process plays
# edge 2's share with --publishers 0, so only edge 1's half has latency samples).
#
# Environment: DURATION=40 WARMUP=15 (at least 6) RAMP=250 FILE=... (see lib.sh) OUT=bench/out/edge-fanout-<timestamp>
# Ports (loopback): origin RTMP 19370 / API 19870, edges RTMP 19371-19372. Each run starts fresh nodes.
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/lib.sh
if (( $# )); then PLAYERS_LIST=("$@"); else PLAYERS_LIST=(250 1000); fi
DURATION=${DURATION:-40}
WARMUP=${WARMUP:-15}
RAMP=${RAMP:-250}
OUT=${OUT:-bench/out/edge-fanout-$(date +%Y%m%d-%H%M%S)}
JAR=target/estuary.jar
[[ -f $JAR ]] || { echo "build first: mvn -B -q package -DskipTests" >&2; exit 2; }
FILE=$(bench_media)
mkdir -p "$OUT"
trap stop_started EXIT

conf() { # name rtmp-port api-port edge?
  cat > "$OUT/$1.conf" <<CONF
listen 127.0.0.1:$2;
max_connections 10000;
daemon off;
pid $OUT/$1.pid;
srs_log_tank console;
srs_log_level warn;
http_api { enabled on; listen 127.0.0.1:$3; }
vhost __defaultVhost__ {
    $([[ $4 == edge ]] && echo "cluster { mode remote; origin 127.0.0.1:19370; }")
}
CONF
}

start() { # name
  java -jar "$JAR" -c "$OUT/$1.conf" > "$OUT/$1.log" 2>&1 &
  STARTED+=($!)
  eval "PID_$1=$!"
}

cpu() { awk '{print $14 + $15}' "/proc/$1/stat"; }

echo "| players on | players | played/failed/stalled | win kbps min/med | win lat p50/p99 ms | origin clients | origin win CPU-s | edge 1 win CPU-s | edge 2 win CPU-s |" > "$OUT/table.md"
echo "|---|---|---|---|---|---|---|---|---|" >> "$OUT/table.md"

run() { # where players: where = origin | edge1 | edges
  local where=$1 n=$2 tag="$1-$2"
  conf origin 19370 19870 origin; conf edge1 19371 19871 edge; conf edge2 19372 19872 edge
  start origin; start edge1; start edge2
  wait_port 19370; wait_port 19371; wait_port 19372
  sleep 2
  local url first=$n second=0
  case $where in
    origin) url=rtmp://127.0.0.1:19370/live/fan ;;
    edge1) url=rtmp://127.0.0.1:19371/live/fan ;;
    edges) url=rtmp://127.0.0.1:19371/live/fan; first=$((n / 2)); second=$((n - n / 2)) ;;
  esac
  java -jar "$JAR" bench --url "$url" --publish-url rtmp://127.0.0.1:19370/live/fan --players "$first" --publishers 1 \
    --file "$FILE" --ramp "$RAMP" --duration "$DURATION" --warmup "$WARMUP" --json "$OUT/$tag.json" \
    > "$OUT/$tag.bench.log" 2>&1 &
  local bench=$! bench2=
  if (( second > 0 )); then
    sleep 3 # edge 2's players come once the publisher is live
    java -jar "$JAR" bench --url rtmp://127.0.0.1:19372/live/fan --players "$second" --publishers 0 \
      --ramp "$RAMP" --duration "$((DURATION - 3))" --warmup "$((WARMUP - 3))" --json "$OUT/$tag-edge2.json" \
      > "$OUT/$tag-edge2.bench.log" 2>&1 &
    bench2=$!
    sleep $((WARMUP - 3))
  else
    sleep "$WARMUP"
  fi
  local o0 e0 f0; o0=$(cpu "$PID_origin"); e0=$(cpu "$PID_edge1"); f0=$(cpu "$PID_edge2")
  sleep $((DURATION - WARMUP - 3))
  local clients; clients=$(curl -s "http://127.0.0.1:19870/api/v1/clients/?count=100000" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["clients"]))')
  local o1 e1 f1; o1=$(cpu "$PID_origin"); e1=$(cpu "$PID_edge1"); f1=$(cpu "$PID_edge2")
  wait "$bench" || echo "bench ($tag) exited with $?" >&2
  [[ -z $bench2 ]] || wait "$bench2" || echo "bench ($tag, edge 2) exited with $?" >&2
  for pid in "${STARTED[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${STARTED[@]}"; do wait "$pid" 2>/dev/null || true; done
  STARTED=()
  python3 - "$OUT/$tag.json" "$OUT/$tag-edge2.json" "$where" "$n" "$clients" "$((o1 - o0))" "$((e1 - e0))" \
    "$((f1 - f0))" "$HZ" "$((DURATION - WARMUP - 3))" >> "$OUT/table.md" <<'PY'
import json, os, sys
j = json.load(open(sys.argv[1]))
k = json.load(open(sys.argv[2])) if os.path.exists(sys.argv[2]) else None
where, n, clients = sys.argv[3], sys.argv[4], sys.argv[5]
o, e, f, hz, span = int(sys.argv[6]), int(sys.argv[7]), int(sys.argv[8]), int(sys.argv[9]), int(sys.argv[10])
w = j["window"]; lat = w["latency_ms"]
played = j["connected"] + (k["connected"] if k else 0)
failed = j["failed"] + (k["failed"] if k else 0)
stalled = j["stalled"] + (k["stalled"] if k else 0)
kmin = min(w["kbps"]["min"], k["window"]["kbps"]["min"]) if k else w["kbps"]["min"]
print(f'| {where} | {n} | {played}/{failed}/{stalled} | {kmin:.0f}/{w["kbps"]["median"]:.0f} | '
      f'{lat["p50"]:.1f}/{lat["p99"]:.1f} | {clients} | {o / hz:.2f} | {e / hz:.2f} | {f / hz:.2f} |')
PY
}

for n in "${PLAYERS_LIST[@]}"; do
  run origin "$n"
  run edge1 "$n"
  run edges "$n"
done
echo "(CPU-s over the same ${DURATION}s - ${WARMUP}s - 3 s span of each run, read by this script; see the logs in $OUT)" >> "$OUT/table.md"
cat "$OUT/table.md"
