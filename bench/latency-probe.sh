#!/usr/bin/env bash
# Steady-state latency on a loaded, warmed-up Estuary (loopback only).
#
#   bench/latency-probe.sh CONF [PLAYERS [PROBE]]
#
# The bench's latency histogram is cumulative from its first second, so a plain run also counts the ramp-up and
# both JVMs' warm-up (JIT). Here a "load" bench runs PLAYERS-PROBE players on stream live/load for
# WARMUP+DURATION+5 s; after WARMUP s a second "probe" bench publishes live/probe and plays it with PROBE players
# for DURATION s. The probe's histogram holds only samples taken while all PLAYERS players are connected.
#
# Environment: WARMUP=20 DURATION=45 RAMP=250 OUT=bench/out/latency-<conf>-<players>
#              FILE=path/to.flv (unset: the 20 s lavfi test pattern, made once into bench/out/media/ by bench_media
#              in bench/lib.sh)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
CONF=${1:?config file}
PLAYERS=${2:-500}
PROBE=${3:-100}
WARMUP=${WARMUP:-20}
DURATION=${DURATION:-45}
RAMP=${RAMP:-250}
OUT=${OUT:-bench/out/latency-$(basename "$CONF" .conf)-$PLAYERS}
JAR=$ROOT/target/estuary.jar
mkdir -p "$OUT"

source "$ROOT/bench/lib.sh"
FILE=$(bench_media) || exit 2
trap stop_started EXIT
trap 'exit 130' INT TERM

java -jar "$JAR" -c "$CONF" > "$OUT/estuary.log" 2>&1 &
STARTED+=($!)
for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/19350) 2>/dev/null && break; sleep 0.1; done
sleep 2
URL=rtmp://127.0.0.1:19350/live
java -jar "$JAR" bench --url "$URL/load" --players $((PLAYERS - PROBE)) --publishers 1 --file "$FILE" \
  --ramp "$RAMP" --duration $((WARMUP + DURATION + 5)) --quiet --json "$OUT/load.json" > "$OUT/load.log" 2>&1 &
LOAD=$!
STARTED+=($LOAD)
sleep "$WARMUP"
echo "probe: java -jar target/estuary.jar bench --url $URL/probe --players $PROBE --publishers 1 --file $FILE --ramp $RAMP --duration $DURATION" | tee "$OUT/command.txt"
java -jar "$JAR" bench --url "$URL/probe" --players "$PROBE" --publishers 1 --file "$FILE" \
  --ramp "$RAMP" --duration "$DURATION" --quiet --json "$OUT/probe.json" > "$OUT/probe.log" 2>&1 || true
wait "$LOAD" || true
echo "load bench ($((PLAYERS - PROBE)) players, whole run incl. ramp-up and warm-up):"; grep -E 'players|latency|kbps' "$OUT/load.log"
echo "probe bench ($PROBE players, joined after ${WARMUP}s):"; grep -E 'players|latency|kbps' "$OUT/probe.log"
