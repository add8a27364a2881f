'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS file run by Node as is. */
const fs = require('node:fs');
const path = require('node:path');

function modifiedAt(file) {
  return fs.statSync(file, { throwIfNoEntry: false })?.mtimeMs;
}

/**
 * The module the `baton` command runs, in the server package at `root`: the
 * bundle `dist/baton.js` that `npm run build` writes (one file starts several
 * times faster than the compiled modules in `out/`, which Node finds and reads
 * one by one), unless a later `tsc -b` has compiled newer code into `out/`
 * than the bundle holds. `tsc -b` rewrites `out/tsconfig.tsbuildinfo` whenever
 * it compiles the server or a package it depends on, and leaves it alone when
 * nothing changed.
 * @param {string} root the server package's directory
 * @returns {string} the path of the module to load; it exports `runCli()`
 */
function cliEntry(root) {
  const compiled = path.join(root, 'out', 'src', 'cli', 'main.js');
  const bundle = path.join(root, 'dist', 'baton.js');
  const bundledAt = modifiedAt(bundle);
  if (bundledAt === undefined) return compiled;
  const compiledAt = modifiedAt(path.join(root, 'out', 'tsconfig.tsbuildinfo'));
  return compiledAt === undefined || bundledAt >= compiledAt ? bundle : compiled;
}

module.exports = { cliEntry };
