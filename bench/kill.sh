#!/usr/bin/env bash
# kill -9 soak: CrashSafetyKillTest with ROUNDS kills (default 50, about 6 s each on 2 cores) of a forked framework
# running a workload of ConfigAdmin edits, secret writes, settings.json edits and events. Builds first unless
# SKIP_INSTALL=1; extra Maven arguments pass through (e.g. -Dmaven.repo.local=...). Prints kills survived, events
# checked, writes checked; on a failure, the test's message and the data directory (itest/target/it/crashtest).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS="${ROUNDS:-50}"
if [ "${SKIP_INSTALL:-0}" != 1 ]; then
  mvn -B -q -o install -DskipTests "$@"
fi
log="$(mktemp)"
rm -f itest/target/it/crashtest-figures.txt
status=0
GRAMBOT_KILL_ROUNDS="$ROUNDS" mvn -B -o verify -f itest/pom.xml -Dtest=io.grambot.itest.CrashSafetyKillTest \
  -Dsurefire.failIfNoSpecifiedTests=false "$@" > "$log" 2>&1 || status=$?
grep -E "^itest: |FAILED|AssertionError|expected|Expecting" "$log" | head -20 || true
if [ -f itest/target/it/crashtest-figures.txt ]; then
  cat itest/target/it/crashtest-figures.txt
else
  echo "no figures: the test failed (full log: $log; data: itest/target/it/crashtest)"
fi
exit "$status"
