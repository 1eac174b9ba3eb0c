#!/usr/bin/env bash
# Installs Debian's headless Chromium and ChromeDriver for the browser tests, once per machine.
# Test tools' own browser downloads don't work on the build machines; Debian's packages do.
set -euo pipefail
if command -v chromium >/dev/null && command -v chromedriver >/dev/null; then
  exit 0
fi
sudo=""
if [ "$(id -u)" != 0 ]; then sudo="sudo"; fi
echo "browser tests: installing chromium and chromium-driver with apt-get"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends chromium chromium-driver >/dev/null
chromium --version
chromedriver --version
