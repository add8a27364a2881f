#!/usr/bin/env bash
# Installs code-server (the real VS Code server, web workbench and Node extension
# host) from the npm registry into a cache outside the repository, keyed by
# version. Needs no network but the npm registry: every download code-server's
# own install scripts would make elsewhere is replaced by a local step.
#
# stdout: the install directory, alone (node_modules/code-server lives in it).
# stderr: progress and errors.
# Safe to run again and concurrently: a finished cache is reused, an unfinished
# one is wiped and redone, and a lock serialises installers.
#
# Environment:
#   BATON_CODE_SERVER_CACHE  install directory
#                            (default ${XDG_CACHE_HOME:-~/.cache}/baton/code-server-<version>)
set -euo pipefail

readonly CODE_SERVER_VERSION=4.96.4
readonly NODE_MAJOR=20 # code-server 4.96.x runs on Node 20 only
readonly MARKER=.baton-install-complete
readonly HERE="$(cd "$(dirname "$0")" && pwd)"
readonly INSTALL_DIR="${BATON_CODE_SERVER_CACHE:-${XDG_CACHE_HOME:-${HOME:?neither HOME nor BATON_CODE_SERVER_CACHE is set}/.cache}/baton/code-server-$CODE_SERVER_VERSION}"
readonly VSCODE_DIR="$INSTALL_DIR/node_modules/code-server/lib/vscode"

die() {
  echo "install-code-server: error: $*" >&2
  exit 1
}

step() {
  echo "install-code-server: $*" >&2
}

# Fails with the list of everything missing, so one run says all there is to fix.
check_prerequisites() {
  local missing=()
  command -v npm >/dev/null || missing+=("npm")
  command -v flock >/dev/null || missing+=("flock (Debian: util-linux)")
  command -v rg >/dev/null || missing+=("rg (Debian: ripgrep), replaces @vscode/ripgrep's download")
  [ -f /usr/include/gssapi/gssapi.h ] || missing+=("gssapi.h (Debian: libkrb5-dev), to build kerberos")
  command -v make >/dev/null || missing+=("make, to build native modules")
  command -v g++ >/dev/null || missing+=("g++, to build native modules")
  command -v python3 >/dev/null || missing+=("python3, for node-gyp")
  if [ ${#missing[@]} -gt 0 ]; then
    printf '  missing: %s\n' "${missing[@]}" >&2
    die "prerequisites missing; run scripts/install-system-deps.sh as root"
  fi
  local major
  major="$(node -p 'process.versions.node.split(".")[0]')"
  [ "$major" = "$NODE_MAJOR" ] ||
    die "code-server $CODE_SERVER_VERSION needs Node $NODE_MAJOR, this is Node $(node --version)"
}

# node-gyp would download Node's headers; point it at the installed ones.
use_local_node_headers() {
  if [ -n "${npm_config_nodedir:-}" ]; then return; fi
  local prefix
  prefix="$(node -p 'require("path").resolve(process.execPath, "..", "..")')"
  [ -f "$prefix/include/node/node_version.h" ] ||
    die "Node's headers are not in $prefix/include/node (node-gyp would download them); set npm_config_nodedir to a directory holding include/node"
  export npm_config_nodedir="$prefix"
}

fetch_code_server() {
  step "fetching code-server $CODE_SERVER_VERSION from the npm registry"
  echo '{ "private": true, "description": "code-server cache for Baton tests" }' >"$INSTALL_DIR/package.json"
  # npm 11 skips dependency install scripts anyway and refuses --allow-scripts:
  # every script that matters is run by hand below.
  (cd "$INSTALL_DIR" && npm install --ignore-scripts --omit=dev "code-server@$CODE_SERVER_VERSION" >&2)
  step "building argon2 (its prebuilt binary is a GitHub download)"
  (cd "$INSTALL_DIR" && npm rebuild argon2 >&2)
}

# The steps of code-server's postinstall.sh, with the downloads replaced.
install_vscode() {
  cd "$VSCODE_DIR"
  step "pointing git-hosted dependencies of lib/vscode at the registry"
  node "$HERE/registry-tarballs.mjs" npm-shrinkwrap.json
  step "installing lib/vscode dependencies"
  npm install --omit=dev --ignore-scripts >&2
  # @vscode/ripgrep's install script downloads rg unless bin/rg exists.
  mkdir -p node_modules/@vscode/ripgrep/bin
  ln -sfn "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg
  step "building lib/vscode native modules"
  npm rebuild >&2
  ln -sfn node_modules node_modules.asar
  (cd bin/remote-cli && ln -sfn code-linux.sh code-server)
  (cd bin/helpers && ln -sfn browser-linux.sh browser.sh)
  step "installing the built-in extensions' shared dependencies"
  cd extensions
  npm install --omit=dev --ignore-scripts >&2
  node ./postinstall.mjs >&2
}

check_install() {
  local reported home
  # Even --version writes a default config file: keep it out of the real home.
  home="$(mktemp -d)"
  reported="$(XDG_CONFIG_HOME="$home" XDG_DATA_HOME="$home" HOME="$home" \
    node "$INSTALL_DIR/node_modules/code-server/out/node/entry.js" --version 2>&1 || true)"
  rm -rf "$home"
  # The version line looks like "4.96.4 <commit> with Code 1.96.4".
  grep -q "^$CODE_SERVER_VERSION " <<<"$reported" ||
    die "the installed code-server does not start; it said: $reported"
  step "code-server reports $(grep "^$CODE_SERVER_VERSION " <<<"$reported")"
}

main() {
  mkdir -p "$(dirname "$INSTALL_DIR")"
  exec 9>"$INSTALL_DIR.lock"
  if ! flock -n 9; then
    step "waiting for another install into $INSTALL_DIR"
    flock 9
  fi
  if [ -f "$INSTALL_DIR/$MARKER" ]; then
    echo "$INSTALL_DIR"
    return
  fi
  check_prerequisites
  use_local_node_headers
  # npm's bundled node-gyp may be started through npx; never stop to ask.
  export npm_config_yes=true npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
  local started=$SECONDS
  if [ -e "$INSTALL_DIR" ]; then
    step "removing the unfinished install in $INSTALL_DIR"
    rm -rf "$INSTALL_DIR"
  fi
  mkdir -p "$INSTALL_DIR"
  step "installing into $INSTALL_DIR"
  fetch_code_server
  install_vscode
  check_install
  echo "$CODE_SERVER_VERSION" >"$INSTALL_DIR/$MARKER"
  step "done in $((SECONDS - started)) s ($(du -sh "$INSTALL_DIR" | cut -f1))"
  echo "$INSTALL_DIR"
}

main "$@"
