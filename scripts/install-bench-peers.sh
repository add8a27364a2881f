#!/usr/bin/env bash
# Installs the peers the benchmarks compare Baton with (GNU make and Snakemake),
# from Debian packages, when they are missing. Safe to run again. Without root
# it only says what is missing: the benchmarks then report those peers as missing.
set -euo pipefail
needed=()
command -v make >/dev/null 2>&1 || needed+=(make)
command -v snakemake >/dev/null 2>&1 || needed+=(snakemake)
if [ ${#needed[@]} -eq 0 ]; then
  exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
  echo "Missing benchmark peers (need root and apt-get to install): ${needed[*]}" >&2
  exit 1
fi
echo "Installing benchmark peers: ${needed[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${needed[@]}" >/dev/null
