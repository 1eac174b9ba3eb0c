#!/usr/bin/env bash
# kill -9 soak: CrashSafetyKillTest with ROUNDS kills (default 50, about 6 s each on 2 cores) of a forked framework
# running a workload of ConfigAdmin edits, secret writes, settings.json edits and events. Builds first unless
# SKIP_INSTALL=1; extra Maven arguments pass through (e.g. -Dmaven.repo.local=...). Prints kills survived, events
# checked, writes checked; on a failure, the test's message (the data directory is itest/target/it/crashtest).
set -euo pipefail
GRAMBOT_KILL_ROUNDS="${ROUNDS:-50}" exec "$(dirname "$0")/itest-run.sh" CrashSafetyKillTest crashtest-figures.txt "$@"
