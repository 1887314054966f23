#!/usr/bin/env bash
# Record the TCP scenarios under test/fixtures/captures/rec_<scenario>/ (see record.py for what each one shows).
# Needs root, iproute2 (ip netns), tcpdump, tshark and python3. Everything runs inside network namespaces it creates
# and deletes; no address outside them is used.
#   sudo scripts/capture/record.sh                 # every scenario
#   sudo scripts/capture/record.sh keepalive resets
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
for tool in ip tcpdump tshark python3; do
  command -v "$tool" >/dev/null || { echo "record.sh: $tool is required" >&2; exit 1; }
done
[ "$(id -u)" -eq 0 ] || { echo "record.sh: run as root (network namespaces, tcpdump)" >&2; exit 1; }
exec python3 "$here/record.py" "$@"
