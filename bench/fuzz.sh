#!/usr/bin/env bash
# Fuzzes every provider's and connector's parser for minutes: the fuzz module's jqwik properties with many more
# tries than the build's 200 per property. TRIES per property (default 20000: about 10 minutes on 2 cores);
# extra Maven arguments pass through (e.g. -Dmaven.repo.local=...). Prints the case counts at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
TRIES="${TRIES:-20000}"
mvn -B -q -o install -DskipTests -pl fuzz -am "$@"
mvn -B -o test -f fuzz/pom.xml -Djqwik.tries.default="$TRIES" "$@" | grep -E "Tests run:|FAIL|fuzz:|Shrunk|Original|Exception" || true
