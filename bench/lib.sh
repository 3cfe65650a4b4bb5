# Shared by the bench scripts: processes they started, a server's pids, per-thread CPU, waiting for a port. Source it.

HZ=$(getconf CLK_TCK)
STARTED=()

# Stops everything the script started (SIGTERM, then SIGKILL a second later).
stop_started() {
  local pid
  for pid in "${STARTED[@]}"; do kill "$pid" 2>/dev/null || true; done
  sleep 1
  for pid in "${STARTED[@]}"; do kill -9 "$pid" 2>/dev/null || true; done
}

# All pids of a server: the main pid and its children (nginx: master, then workers), space-separated.
server_pids() { echo "$1 $(pgrep -P "$1" | tr '\n' ' ')"; }

# The same, comma-separated: the bench's --server-pid.
server_pid_list() { server_pids "$1" | xargs | tr ' ' ','; }

# CPU seconds per thread group of a process since it started (thread names from /proc/<pid>/task/*/comm)
thread_cpu() {
  local pid=$1 t
  for t in /proc/"$pid"/task/*; do
    [[ -r $t/stat ]] || continue
    printf '%s\t%s\n' "$(sed 's/[0-9]*$//; s/#$//; s/ *$//' "$t/comm")" "$(awk '{print $14 + $15}' "$t/stat")"
  done | awk -F'\t' -v hz="$HZ" '{s[$1] += $2} END {for (k in s) if (s[k] > 0) printf "%8.2f  %s\n", s[k] / hz, k}' | sort -rn
}

# Waits up to 10 s for something to listen on 127.0.0.1:PORT.
wait_port() {
  for _ in $(seq 1 100); do
    if (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; then return 0; fi
    sleep 0.1
  done
  echo "nothing listens on 127.0.0.1:$1" >&2; return 1
}
