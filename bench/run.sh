#!/usr/bin/env bash
# Runs Grambot's JMH benchmarks, each beside its baseline, and prints one table (a few minutes on 2 cores).
#   bench/run.sh            all of them
#   bench/run.sh Dispatch   only those whose name matches (a JMH regular expression)
# Start and hot-deploy figures come from bench/start-and-deploy.sh (a script, not JMH).
set -euo pipefail
cd "$(dirname "$0")/.."
if [[ ! -f bench/target/benchmarks.jar || -n "${BENCH_REBUILD:-}" ]]; then
  mvn -B -q -DskipTests -pl bench -am install
fi
results=$(mktemp --suffix=.json)
filter=${1:-'EventQueueBench|QueueBaselineBench|DispatchBench|BotTurnBench'}
echo "machine: $(nproc) cores, $(java -version 2>&1 | head -1), load $(cut -d' ' -f1-3 /proc/loadavg)"
java -jar bench/target/benchmarks.jar "$filter" -prof gc -rf json -rff "$results" > bench/target/jmh.log 2>&1 \
  || { tail -40 bench/target/jmh.log; exit 1; }
grep -E "nothing lost|events were lost" bench/target/jmh.log | sort | uniq -c || true
java -cp bench/target/benchmarks.jar io.grambot.bench.Report "$results"
echo "(JMH output: bench/target/jmh.log, results: $results)"
