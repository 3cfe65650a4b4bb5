#!/usr/bin/env bash
# Starts a local Estuary cluster from the built jar: 2 origins + 2 edges on loopback ports, joined with --cluster under a
# cluster name of their own. Each node gets an SRS conf and a log in the work dir; their pids go to its state file, which
# cluster/down.sh reads to stop exactly these processes. Prints every URL once all four nodes see each other.
#
#   cluster/up.sh            ports: RTMP 19351-19354, HTTP 18081-18084, API 19851-19854 (origin 1, origin 2, edge 1, edge 2)
#   ESTUARY_WORK=DIR  ESTUARY_RTMP_BASE=19350  ESTUARY_HTTP_BASE=18080  ESTUARY_API_BASE=19850  cluster/up.sh
set -euo pipefail
cd "$(dirname "$0")/.."
jar=target/estuary.jar
work=${ESTUARY_WORK:-${TMPDIR:-/tmp}/estuary-cluster}
rtmp_base=${ESTUARY_RTMP_BASE:-19350}
http_base=${ESTUARY_HTTP_BASE:-18080}
api_base=${ESTUARY_API_BASE:-19850}
state=$work/state

if [ -f "$state" ]; then
  echo "up.sh: $state exists: a cluster from an earlier up.sh may run; stop it with cluster/down.sh" >&2
  exit 1
fi
[ -f "$jar" ] || mvn -B -q package -DskipTests
command -v curl >/dev/null || { echo "up.sh: needs curl (to wait for the nodes' API)" >&2; exit 1; }
mkdir -p "$work"
name="estuary-up-$(date +%s)-$$"
echo "name=$name" > "$state"

names=(origin1 origin2 edge1 edge2)
for i in 1 2 3 4; do
  node=${names[$((i - 1))]}
  rtmp=$((rtmp_base + i)); http=$((http_base + i)); api=$((api_base + i))
  if [[ $node == edge* ]]; then
    cluster="cluster { mode remote; origin 127.0.0.1:$((rtmp_base + 1)) 127.0.0.1:$((rtmp_base + 2)); }"
  else
    cluster=""
  fi
  cat > "$work/$node.conf" <<CONF
listen 127.0.0.1:$rtmp;
daemon off;
pid $work/$node.pid;
srs_log_tank console;
http_api { enabled on; listen 127.0.0.1:$api; }
http_server { enabled on; listen 127.0.0.1:$http; dir $work/$node-html; }
vhost __defaultVhost__ {
    http_remux { enabled on; mount [vhost]/[app]/[stream].flv; }
    $cluster
}
CONF
  nohup java -Xmx256m -jar "$jar" -c "$work/$node.conf" --cluster --cluster-name "$name" \
    > "$work/$node.log" 2>&1 < /dev/null &
  echo "$node=$!" >> "$state"
done

# Every node's cluster API lists the four of them (bounded: 90 s).
for i in 1 2 3 4; do
  api=$((api_base + i))
  for _ in $(seq 1 180); do
    count=$(curl -s -m 2 "http://127.0.0.1:$api/api/v1/cluster/nodes" | grep -o '"id"' | wc -l || true)
    [ "$count" = 4 ] && break
    sleep 0.5
  done
  if [ "$count" != 4 ]; then
    echo "up.sh: node ${names[$((i - 1))]} does not see 4 nodes (log: $work/${names[$((i - 1))]}.log); cluster/down.sh stops the others" >&2
    exit 1
  fi
done

o1=127.0.0.1:$((rtmp_base + 1)); o2=127.0.0.1:$((rtmp_base + 2))
cat <<OUT
Estuary cluster "$name": 2 origins + 2 edges (work dir $work, state $state)
  origin1  pid $(grep ^origin1= "$state" | cut -d= -f2)  rtmp://$o1  http://127.0.0.1:$((http_base + 1))  api http://127.0.0.1:$((api_base + 1))
  origin2  pid $(grep ^origin2= "$state" | cut -d= -f2)  rtmp://$o2  http://127.0.0.1:$((http_base + 2))  api http://127.0.0.1:$((api_base + 2))
  edge1    pid $(grep ^edge1= "$state" | cut -d= -f2)  rtmp://127.0.0.1:$((rtmp_base + 3))  http://127.0.0.1:$((http_base + 3))  api http://127.0.0.1:$((api_base + 3))
  edge2    pid $(grep ^edge2= "$state" | cut -d= -f2)  rtmp://127.0.0.1:$((rtmp_base + 4))  http://127.0.0.1:$((http_base + 4))  api http://127.0.0.1:$((api_base + 4))

Publish (to an origin):   rtmp://$o1/live/livestream      (or rtmp://$o2/live/livestream)
Play on edge1:            rtmp://127.0.0.1:$((rtmp_base + 3))/live/livestream
                          http://127.0.0.1:$((http_base + 3))/live/livestream.flv
Play on edge2:            rtmp://127.0.0.1:$((rtmp_base + 4))/live/livestream
                          http://127.0.0.1:$((http_base + 4))/live/livestream.flv
API (any node):           http://127.0.0.1:$((api_base + 1))/api/v1/streams/   http://127.0.0.1:$((api_base + 1))/api/v1/clients/
Cluster API (any node):   http://127.0.0.1:$((api_base + 1))/api/v1/cluster/nodes
                          http://127.0.0.1:$((api_base + 1))/api/v1/cluster/streams
Kick a client anywhere:   curl -X DELETE http://127.0.0.1:$((api_base + 1))/api/v1/clients/CLIENT_ID
Logs: $work/*.log         Stop: cluster/down.sh
OUT
