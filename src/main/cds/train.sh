#!/usr/bin/env bash
# The AppCDS archive of estuary.jar: a short training run whose loaded classes the JVM writes to ARCHIVE at exit
# (-XX:ArchiveClassesAtExit, Java 17's dynamic archive). Run by `mvn package` (skip: -Dcds.skip); a node started with
# -XX:SharedArchiveFile=ARCHIVE maps those classes instead of loading and verifying them (README, "JVM settings").
#
#   src/main/cds/train.sh JAR ARCHIVE
#
# The run: a node on two free loopback ports (RTMP, HTTP-FLV), and, when ffmpeg is on the PATH, one publisher of a
# 3 s test pattern and a few RTMP and HTTP-FLV players for 3 s each (`estuary bench`); without ffmpeg the node only
# starts and stops. The archive matches only this JVM build and this jar at this path (same size and time): the JVM
# says so in one warning line and runs without it otherwise.
set -euo pipefail

JAR=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
ARCHIVE=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
TMP=$(mktemp -d /tmp/estuary-cds.XXXXXX)
NODE=
trap '[[ -n $NODE ]] && kill -9 "$NODE" 2>/dev/null; rm -rf "$TMP"' EXIT

listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() { # below the ephemeral range, so that no client's port is taken
  local p
  for _ in $(seq 1 50); do p=$((20000 + RANDOM % 12000)); listening "$p" || { echo "$p"; return; }; done
  echo "no free port" >&2; return 1
}
# Starts the node on two free ports; again on others (up to 3 times) when it exits: a port taken since it was free.
start_node() {
  RTMP=$(free_port)
  HTTP=$(free_port)
  cat > "$TMP/train.conf" <<EOF
listen              127.0.0.1:$RTMP;
daemon              off;
srs_log_tank        console;
srs_log_level       warn;
http_server { enabled on; listen 127.0.0.1:$HTTP; }
vhost __defaultVhost__ { http_remux { enabled on; mount [vhost]/[app]/[stream].flv; } }
EOF
  rm -f "$ARCHIVE"
  (cd "$TMP" && exec java -XX:ArchiveClassesAtExit="$ARCHIVE" -Xlog:cds=off -Xlog:cds+dynamic=error \
    -jar "$JAR" -c train.conf > node.log 2>&1) &
  NODE=$!
  for _ in $(seq 1 300); do
    kill -0 "$NODE" 2>/dev/null || break
    listening "$RTMP" && listening "$HTTP" && return 0
    sleep 0.1
  done
  kill -9 "$NODE" 2>/dev/null; wait "$NODE" 2>/dev/null || true; NODE=
  return 1
}
for attempt in 1 2 3; do
  start_node && break
  (( attempt < 3 )) || { echo "cds training: the node did not start" >&2; cat "$TMP/node.log" >&2; exit 1; }
done

if command -v ffmpeg >/dev/null; then
  ffmpeg -hide_banner -loglevel error -nostdin -f lavfi -i testsrc2=size=320x180:rate=25 -f lavfi \
    -i sine=frequency=440 -t 3 -c:v libx264 -preset ultrafast -g 25 -c:a aac -f flv "$TMP/train.flv"
  for url in "rtmp://127.0.0.1:$RTMP/live/train" "http://127.0.0.1:$HTTP/live/train.flv"; do
    java -jar "$JAR" bench --url "$url" --publish-url "rtmp://127.0.0.1:$RTMP/live/train" --players 4 \
      --file "$TMP/train.flv" --duration 3 --quiet > "$TMP/bench.log" 2>&1 || true
  done
fi

kill -TERM "$NODE" # the JVM writes the archive as it exits
wait "$NODE" || true
NODE=
[[ -s $ARCHIVE ]] || { echo "cds training: no archive written" >&2; cat "$TMP/node.log" >&2; exit 1; }
echo "cds training: $ARCHIVE ($(( $(stat -c %s "$ARCHIVE") / 1024 / 1024 )) MiB)"
