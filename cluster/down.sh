#!/usr/bin/env bash
# Stops exactly the nodes cluster/up.sh started (the pids of its state file, each checked to be an Estuary java process
# with a conf of the work dir), SIGTERM then, after 15 s, SIGKILL; then removes the work dir.
#   cluster/down.sh          (ESTUARY_WORK=DIR as given to up.sh)
set -euo pipefail
work=${ESTUARY_WORK:-${TMPDIR:-/tmp}/estuary-cluster}
state=$work/state
if [ ! -f "$state" ]; then
  echo "down.sh: no $state: nothing started by up.sh here" >&2
  exit 1
fi
ours() { # the pid still runs the node up.sh started (not a recycled pid)
  [ -r "/proc/$1/cmdline" ] && tr '\0' ' ' < "/proc/$1/cmdline" | grep -qF -- "-c $work/$2.conf"
}
pids=()
while IFS='=' read -r node pid; do
  [ "$node" = name ] && continue
  if ours "$pid" "$node"; then
    kill -TERM "$pid" && pids+=("$pid:$node") && echo "down.sh: stopping $node (pid $pid)"
  else
    echo "down.sh: $node (pid $pid) is not running"
  fi
done < "$state"
for entry in "${pids[@]}"; do
  pid=${entry%%:*}; node=${entry#*:}
  for _ in $(seq 1 30); do ours "$pid" "$node" || break; sleep 0.5; done
  if ours "$pid" "$node"; then
    echo "down.sh: $node (pid $pid) still runs after 15 s: SIGKILL"
    kill -KILL "$pid"
  fi
done
rm -rf "$work"
echo "down.sh: stopped; removed $work"
