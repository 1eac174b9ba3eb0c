#!/usr/bin/env bash
# Start, hot deploy and many instances, measured on the built distribution (not JMH: these are whole-process
# figures). Prints one table.
#   1. cold start to web console ready: the distribution (bin/grambot, from an empty working directory) against bare
#      Felix (org.apache.felix.main.Main) started with the same bundles and the same framework properties;
#   2. hot deploy: echo-plugin.jar copied into deploy/ (its instance file already in etc/) -> its Tool service listed;
#   3. 1,000 instances from configuration files in etc/ -> 1,000 Tool services, and the live heap per idle instance
#      (jmap -histo:live, which collects first).
# Usage: bench/start-and-deploy.sh [runs]   (default 5 runs of each start; needs `mvn -DskipTests package` first)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
dist=$root/runtime/target/grambot
runs=${1:-5}
instances=${GRAMBOT_BENCH_INSTANCES:-1000}
[[ -x $dist/bin/grambot ]] || mvn -B -q -DskipTests package
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT

now_ms() { date +%s%3N; }
free_port() { while :; do p=$((20000 + RANDOM % 20000)); (echo >/dev/tcp/127.0.0.1/$p) 2>/dev/null || { echo $p; return; }; done; }
# waits until the URL answers 200 with the console credentials; prints the milliseconds since $1
await_console() {
  local start=$1 url=$2
  for _ in $(seq 1 1200); do
    if [[ $(curl -s -o /dev/null -w '%{http_code}' -u admin:bench "$url" 2>/dev/null) == 200 ]]; then
      echo $(( $(now_ms) - start )); return 0
    fi
    sleep 0.025
  done
  echo "timed out waiting for $url" >&2; return 1
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# the number of services of this interface the console lists
count_services() {
  curl -s -u admin:bench "http://127.0.0.1:$1/system/console/services.json" \
    | grep -o "$2[],]" | wc -l
}

grambot_start() { # dir port -> pid
  (cd "$1" && GRAMBOT_ADMIN_PASSWORD=bench GRAMBOT_HTTP_PORT=$2 exec "$dist/bin/grambot" </dev/null >"$1/out.log" 2>&1) &
  echo $!
}

bare_start() { # dir port -> pid
  local dir=$1 port=$2
  mkdir -p "$dir/data" "$dir/deploy" "$dir/etc"
  # the distribution's own framework properties, resolved as the launcher resolves them
  sed -e "s#\${grambot.data}#$dir/data#g" -e "s#\${grambot.home}#$dist#g" -e "s#\${grambot.deploy}#$dir/deploy#g" \
      -e "s#\${grambot.etc}#$dir/etc#g" -e "s#\${grambot.http.host}#127.0.0.1#g" -e "s#\${grambot.http.port}#$port#g" \
      "$dist/conf/config.properties" > "$dir/config.properties"
  printf 'felix.webconsole.username=admin\nfelix.webconsole.password=bench\ngosh.args=--nointeractive\n' >> "$dir/config.properties"
  (cd "$dir" && exec java -Dfelix.config.properties="file:$dir/config.properties" \
      -Dlogback.configurationFile="$dist/conf/logback.xml" -cp "$dist/lib/org.apache.felix.main.jar" \
      org.apache.felix.main.Main </dev/null >"$dir/out.log" 2>&1) &
  echo $!
}

measure_start() { # kind -> prints ms per run
  local kind=$1
  for i in $(seq 1 "$runs"); do
    local dir=$work/$kind-$i port; port=$(free_port); mkdir -p "$dir"
    local start; start=$(now_ms)
    local pid; pid=$("${kind}_start" "$dir" "$port")
    await_console "$start" "http://127.0.0.1:$port/system/console/bundles"
    kill "$pid"; while kill -0 "$pid" 2>/dev/null; do sleep 0.05; done
  done
}

echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), load $(cut -d' ' -f1-3 /proc/loadavg)"
grambot_ms=$(measure_start grambot | median)
bare_ms=$(measure_start bare | median)

# hot deploy and many instances, in one running distribution
dir=$work/deploy; mkdir -p "$dir/etc"; port=$(free_port)
printf 'toolName=echo\n' > "$dir/etc/echo-main.cfg"
pid=$(grambot_start "$dir" "$port"); pids+=("$pid")
await_console "$(now_ms)" "http://127.0.0.1:$port/system/console/bundles" >/dev/null
deploys=()
for i in $(seq 1 "$runs"); do
  start=$(now_ms)
  cp "$dist/samples/echo-plugin.jar" "$dir/deploy/echo-plugin.jar"
  until [[ $(count_services "$port" io.grambot.api.tool.Tool) -ge 1 ]]; do sleep 0.01; done
  deploys+=($(( $(now_ms) - start )))
  rm "$dir/deploy/echo-plugin.jar"
  until [[ $(count_services "$port" io.grambot.api.tool.Tool) -eq 0 ]]; do sleep 0.05; done
done
deploy_ms=$(printf '%s\n' "${deploys[@]}" | median)

cp "$dist/samples/echo-plugin.jar" "$dir/deploy/echo-plugin.jar"
until [[ $(count_services "$port" io.grambot.api.tool.Tool) -ge 1 ]]; do sleep 0.05; done
live() { jmap -histo:live "$pid" | awk '/^Total/ {print $3}'; }
before=$(live)
start=$(now_ms)
for i in $(seq 1 "$instances"); do printf 'toolName=echo_%s\n' "$i" > "$dir/etc/echo-i$i.cfg"; done
until [[ $(count_services "$port" io.grambot.api.tool.Tool) -ge $((instances + 1)) ]]; do sleep 0.2; done
all_ms=$(( $(now_ms) - start ))
after=$(live)
per_instance=$(( (after - before) / instances ))

printf '| what | Grambot | baseline | goal | met |\n|---|---|---|---|---|\n'
printf '| cold start to console ready (median of %d) | %d ms | bare Felix, same bundles: %d ms (overhead %d ms) | overhead <= 1 s | %s |\n' \
  "$runs" "$grambot_ms" "$bare_ms" $((grambot_ms - bare_ms)) "$([[ $((grambot_ms - bare_ms)) -le 1000 ]] && echo yes || echo NO)"
printf '| hot deploy: jar into deploy/ -> Tool service (median of %d) | %d ms | | <= 500 ms | %s |\n' \
  "$runs" "$deploy_ms" "$([[ $deploy_ms -le 500 ]] && echo yes || echo NO)"
printf '| %d instances from etc/ files -> all Tool services | %d ms | | | |\n' "$instances" "$all_ms"
printf '| live heap per idle instance | %d bytes | | <= 50 KB | %s |\n' \
  "$per_instance" "$([[ $per_instance -le 51200 ]] && echo yes || echo NO)"
