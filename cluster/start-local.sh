#!/usr/bin/env bash
# Starts two Estuary nodes on this machine that join one Hazelcast cluster (the config packed in the jar), on loopback ports:
# node A: RTMP 19361, API 19851; node B: RTMP 19362, API 19852. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=target/estuary.jar
[ -f "$jar" ] || mvn -B -q package -DskipTests
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; wait; rm -rf "$work"' EXIT
for n in 1 2; do
  cat > "$work/node$n.conf" <<CONF
listen 127.0.0.1:1936$n;
daemon off;
pid $work/node$n.pid;
srs_log_tank console;
http_api { enabled on; listen 127.0.0.1:1985$n; }
CONF
  java -jar "$jar" -c "$work/node$n.conf" --cluster --cluster-name "estuary-local-$$" &
done
wait
