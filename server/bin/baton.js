#!/usr/bin/env node
'use strict';
// The `baton` command: the CLI bundle (`npm run build`) or, when `npx tsc -b`
// has compiled something newer since, the compiled CLI in out/ (see cliEntry.js).
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS bin script. */
const path = require('node:path');
const { cliEntry } = require('./cliEntry.js');
require(cliEntry(path.join(__dirname, '..'))).runCli();
