#!/usr/bin/env bash
# Installs Debian's zookeeper package, which the external-server tests of gd-zookeeper-store start
# on a free loopback port (they skip with a message when it is absent). Idempotent and
# non-interactive; needs root (or sudo) only when the package is missing.
set -euo pipefail

if dpkg-query -W -f='${Status}' zookeeper 2>/dev/null | grep -q 'install ok installed' \
    && [ -d /usr/share/zookeeper ]; then
  echo "zookeeper package already installed: $(dpkg-query -W -f='${Version}' zookeeper)"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then
    SUDO="sudo -n"
  else
    echo "install-zookeeper: not root and no sudo; cannot install the zookeeper package" >&2
    exit 1
  fi
fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends zookeeper
# the package enables no server by default here; make sure none runs on the default port
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet zookeeper 2>/dev/null; then
  $SUDO systemctl stop zookeeper || true
fi
echo "zookeeper package installed: $(dpkg-query -W -f='${Version}' zookeeper)"
