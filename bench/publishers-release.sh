#!/usr/bin/env bash
# Does memory come back after many publishers leave? (loopback only)
#
#   bench/publishers-release.sh [N [DURATION]]
#
# FILE=path/to.flv: the FLV each publisher loops (unset: the 20 s lavfi test pattern, made once into bench/out/media/
# by bench_media in bench/lib.sh).
# WAIT_TRIM=65: seconds to wait after the disconnect for the node's own once-a-minute native heap trim (0: skip).
# Starts Estuary with Native Memory Tracking (plus $JAVA_OPTS), then prints VmRSS and the NMT totals (Java heap, Other = direct
# buffers) after a full GC: idle, 3 s before the end of a bench with N publishers + N players, and after all of
# them disconnected.
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-300}
DURATION=${2:-30}
O=${OUT:-bench/out/publishers-release-$N}
source bench/lib.sh
FILE=$(bench_media) || exit 2
mkdir -p "$O"
# shellcheck disable=SC2086
java -XX:NativeMemoryTracking=summary ${JAVA_OPTS:-} -jar target/estuary.jar -c bench/estuary-bench.conf > "$O/estuary.log" 2>&1 &
S=$!
B=
trap 'kill $S $B 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do (exec 3<>/dev/tcp/127.0.0.1/19350) 2>/dev/null && break; sleep 0.1; done
sleep 2
sample() {
  jcmd "$S" GC.run >/dev/null; sleep 1
  echo "$1 RSS $(awk '/VmRSS/ {print $2}' "/proc/$S/status") kB"
  jcmd "$S" VM.native_memory summary | grep -E "^Total|Other|Java Heap"
}
sample idle
java -jar target/estuary.jar bench --url rtmp://127.0.0.1:19350/live/bench --players "$N" --publishers "$N" \
  --file "$FILE" --duration "$DURATION" --quiet > "$O/bench.log" 2>&1 &
B=$!
sleep $((DURATION - 3))
sample loaded
wait "$B" || true
B=
sleep 3
sample "after all disconnected"
# The launcher trims the native heap once a minute by itself: look again after that
if (( ${WAIT_TRIM:-65} > 0 )); then
  sleep "${WAIT_TRIM:-65}"
  echo "after ${WAIT_TRIM:-65} s more (the node's own trimming, once a minute) RSS $(awk '/VmRSS/ {print $2}' "/proc/$S/status") kB"
fi
# glibc keeps freed native memory; JDK 17.0.9+ can hand it back (jcmd System.trim_native_heap)
if jcmd "$S" System.trim_native_heap > "$O/trim.txt" 2>&1; then
  sleep 1; echo "after System.trim_native_heap RSS $(awk '/VmRSS/ {print $2}' "/proc/$S/status") kB"
fi
grep -E "players|kbps" "$O/bench.log"
