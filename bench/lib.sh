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

# The FLV the bench publishes: $FILE when set (it must exist), else the 20 s test pattern (ffmpeg's lavfi testsrc2 and
# a 440 Hz sine, H.264 Main 640x360 25 fps 500 kbps with a 2 s GOP, AAC-LC 44.1 kHz stereo 96 kbps: the recipe the
# tests use), made once into bench/out/media/. Prints the file's path.
bench_media() {
  if [[ -n ${FILE:-} ]]; then
    [[ -r $FILE ]] || { echo "FILE=$FILE: no such file" >&2; return 1; }
    echo "$FILE"; return 0
  fi
  local dir=bench/out/media file=bench/out/media/h264-aac-640x360.flv
  if [[ ! -s $file ]]; then
    mkdir -p "$dir"
    echo "making $file with ffmpeg (FILE=... to use another)" >&2
    ffmpeg -hide_banner -loglevel error -nostdin -y -f lavfi -i "testsrc2=size=640x360:rate=25" \
      -f lavfi -i "sine=frequency=440:sample_rate=44100" -t 20 -map 0:v -map 1:a \
      -c:v libx264 -profile:v main -preset veryfast -pix_fmt yuv420p -g 50 -keyint_min 50 -sc_threshold 0 \
      -b:v 500k -minrate 500k -maxrate 500k -bufsize 1000k \
      -c:a aac -profile:a aac_low -ar 44100 -ac 2 -b:a 96k -f flv "$file.tmp.$$" && mv "$file.tmp.$$" "$file"
  fi
  echo "$(pwd)/$file"
}

# nginx-rtmp (Debian: nginx-light + libnginx-mod-rtmp provides the module)
RTMP_SO=/usr/lib/nginx/modules/ngx_rtmp_module.so

# Writes DIR/nginx.conf: nginx-rtmp with one `live` application on 127.0.0.1:PORT, WORKERS worker processes, its
# pid, logs and relay sockets under DIR. Run it with: nginx -p DIR -c DIR/nginx.conf -g 'daemon off;'
nginx_conf() {
  local dir=$1 port=$2 workers=${3:-1}
  mkdir -p "$dir/logs" "$dir/sock"
  chmod 755 "$dir"; chmod 1777 "$dir/sock"
  cat > "$dir/nginx.conf" <<CONF
load_module $RTMP_SO;
worker_processes $workers;
pid $dir/nginx.pid;
error_log $dir/logs/error.log warn;
events { worker_connections 20000; }
# with several workers, streams should reach the other workers' players over unix sockets (here they did not)
rtmp_auto_push on;
rtmp_socket_dir $dir/sock;
rtmp {
    server {
        listen 127.0.0.1:$port;
        application live { live on; }
    }
}
CONF
}
