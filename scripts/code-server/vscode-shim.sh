#!/usr/bin/env bash
# A "VS Code executable" for @vscode/test-electron's runTests on machines where
# VS Code cannot be downloaded: runs the requested extension tests in
# code-server instead (see test/src/harness/shim.ts; needs `npx tsc -b`).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
exec node "$root/test/out/src/harness/shim.js" "$@"
