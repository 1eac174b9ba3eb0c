#!/usr/bin/env bash
# Runs one in-framework test class for a bench script and prints the figures it wrote:
#   bench/itest-run.sh <test class> <figures file under itest/target/it> [extra Maven arguments]
# Builds first unless SKIP_INSTALL=1. The test's settings come from the environment (GRAMBOT_*). On a failure,
# prints the test's message and where the full log is; exits with Maven's status.
set -euo pipefail
cd "$(dirname "$0")/.."
test_class="$1"
figures="itest/target/it/$2"
shift 2
if [ "${SKIP_INSTALL:-0}" != 1 ]; then
  mvn -B -q -o install -DskipTests "$@"
fi
log="$(mktemp)"
rm -f "$figures"
status=0
mvn -B -o verify -f itest/pom.xml -Dtest="io.grambot.itest.$test_class" -Dsurefire.failIfNoSpecifiedTests=false \
  "$@" > "$log" 2>&1 || status=$?
grep -E "^itest: |FAILED|AssertionError|expected|Expecting|timed out" "$log" | head -20 || true
if [ -f "$figures" ]; then
  cat "$figures"
else
  echo "no figures: the test failed (full log: $log)"
fi
exit "$status"
