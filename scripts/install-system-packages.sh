#!/usr/bin/env bash
# The Debian/Ubuntu packages TCP Lens's start and tests need; run as root, or as a user with sudo. Used by the README's
# first set-up command and by .ci/run.
#   libkrb5-dev (+ python3, make, g++): code-server compiles its kerberos module when `npm start`/`npm test` install it
#   chromium: the UI tests' browser; tshark, tcpdump: tests compare the readers and the analysis with the real tools
#   fonts-wqy-microhei: Chinese text in screenshots
set -euo pipefail
SUDO=""
if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
# tshark's package asks whether non-root users may capture; answer it up front so apt never prompts.
echo "wireshark-common wireshark-common/install-setuid boolean false" | $SUDO debconf-set-selections
$SUDO apt-get update
$SUDO apt-get install -y chromium libkrb5-dev tshark tcpdump python3 make g++ fonts-wqy-microhei
