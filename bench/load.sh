#!/usr/bin/env bash
# Sustained load: SustainedLoadTest for LOAD_SECONDS (default 300) at RATE messages a second (default 200) across 100
# web chat conversations, every message a tool-call turn over HTTP (openai-codex against a local fake). Prints
# the heap after a full GC every SAMPLE seconds (default 15), latency percentiles from the planned send time, and
# fails if a message is lost or out of order, or if the heap grew more than MAX_GROWTH_MB (default 32) after the
# first third of the run. Builds first unless SKIP_INSTALL=1; extra Maven arguments pass through.
set -euo pipefail
GRAMBOT_LOAD_SECONDS="${LOAD_SECONDS:-300}" GRAMBOT_LOAD_RATE="${RATE:-200}" \
  GRAMBOT_LOAD_SAMPLE_SECONDS="${SAMPLE:-15}" GRAMBOT_LOAD_MAX_GROWTH_MB="${MAX_GROWTH_MB:-32}" \
  exec "$(dirname "$0")/itest-run.sh" SustainedLoadTest load-figures.txt "$@"
