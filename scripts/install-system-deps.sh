#!/usr/bin/env bash
# Installs the Debian packages Baton's tests use, when missing. Safe to run again.
# `npm test` runs it first: as root it installs what is missing; otherwise it
# stops at once with the exact command to run, instead of tests failing later.
set -euo pipefail
needed=()
command -v chromium >/dev/null 2>&1 || needed+=(chromium)
command -v rg >/dev/null 2>&1 || needed+=(ripgrep)
[ -f /usr/include/gssapi/gssapi.h ] || needed+=(libkrb5-dev)
command -v ps >/dev/null 2>&1 || needed+=(procps)
# code-server's native modules (argon2, node-pty, kerberos, spdlog) are built
# by node-gyp during scripts/code-server/install.sh.
command -v make >/dev/null 2>&1 || needed+=(make)
command -v g++ >/dev/null 2>&1 || needed+=(g++)
command -v python3 >/dev/null 2>&1 || needed+=(python3)
# Stage tests run Debian's own Python (/usr/bin/python3, not a pyenv one on
# PATH) with the prompt libraries people use, and make venvs with it.
[ -x /usr/bin/python3 ] || needed+=(python3)
/usr/bin/python3 -c 'import ensurepip' >/dev/null 2>&1 || needed+=(python3-venv)
/usr/bin/python3 -c 'import rich' >/dev/null 2>&1 || needed+=(python3-rich)
/usr/bin/python3 -c 'import click' >/dev/null 2>&1 || needed+=(python3-click)
# Debug Stage's Python path is tested with a real debugpy (server/test/rpc/debugStage.test.ts).
/usr/bin/python3 -c 'import debugpy' >/dev/null 2>&1 || needed+=(python3-debugpy)
# The bullmq executor's tests (and the remote chaos campaign and bench rows)
# start a real Redis on a free loopback port (server/test/helpers/redisServer.ts).
command -v redis-server >/dev/null 2>&1 || needed+=(redis-server)
# Screenshots of the workbench need at least one font Chromium can find.
[ -n "$(fc-list 2>/dev/null)" ] || needed+=(fonts-dejavu-core)
if [ ${#needed[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    echo "Installing Debian packages: ${needed[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${needed[@]}" >/dev/null
  else
    mapfile -t unique < <(printf '%s\n' "${needed[@]}" | sort -u)
    echo "Baton's tests need Debian packages that are missing: ${unique[*]}" >&2
    echo "Install them as root, then run npm test again:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${unique[*]}" >&2
    exit 1
  fi
fi
