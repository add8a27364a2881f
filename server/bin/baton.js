#!/usr/bin/env node
'use strict';
// The `baton` command: the compiled CLI lives in out/ (built by `npx tsc -b`).
// eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS bin script loads the compiled CLI.
require('../out/src/cli/main.js').runCli();
