#!/usr/bin/env node
'use strict';
// The `baton` command: the CLI bundle (`npm run build`) or, when `npx tsc -b`
// has compiled something newer since, the compiled CLI in out/ (see cliLoader.js).
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS bin script. */
const path = require('node:path');
const { loadCli, printCachedDryRun } = require('./cliLoader.js');
const root = path.join(__dirname, '..');
// A dry run whose kept plan still holds is answered without loading the CLI.
if (!printCachedDryRun(root, process.argv.slice(2))) loadCli(root).runCli();
