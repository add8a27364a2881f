#!/usr/bin/env bash
# Installs the Debian packages Baton's tests use, when missing. Safe to run again.
set -euo pipefail
needed=()
command -v chromium >/dev/null 2>&1 || needed+=(chromium)
command -v rg >/dev/null 2>&1 || needed+=(ripgrep)
[ -f /usr/include/gssapi/gssapi.h ] || needed+=(libkrb5-dev)
command -v ps >/dev/null 2>&1 || needed+=(procps)
if [ ${#needed[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing Debian packages: ${needed[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${needed[@]}" >/dev/null
  else
    echo "Missing Debian packages (need root to install): ${needed[*]}" >&2
  fi
fi
