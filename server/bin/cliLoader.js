'use strict';
/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS file run by Node as is. */
const fs = require('node:fs');
const { createRequire } = require('node:module');
const path = require('node:path');
const vm = require('node:vm');

function statOf(file) {
  return fs.statSync(file, { throwIfNoEntry: false });
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
 * @returns {{ file: string, bundled: boolean }} the module to load (it exports `runCli()`)
 */
function cliEntry(root) {
  const bundle = path.join(root, 'dist', 'baton.js');
  const bundledAt = statOf(bundle)?.mtimeMs;
  const compiledAt = statOf(path.join(root, 'out', 'tsconfig.tsbuildinfo'))?.mtimeMs;
  if (bundledAt !== undefined && (compiledAt === undefined || bundledAt >= compiledAt))
    return { file: bundle, bundled: true };
  return { file: path.join(root, 'out', 'src', 'cli', 'cliMain.js'), bundled: false };
}

/*
 * Compiling the 2 MB bundle was most of the CLI's start-up, so the build also
 * writes V8's code cache of it (`baton.js.cache`): what V8 compiled of the
 * bundle's top level and of every command's modules as they load, which
 * spares it parsing the whole file and compiling them again. V8 itself refuses
 * a cache made by another V8 version or with other V8 flags (`--cpu-prof`,
 * say), and then simply compiles; it does not check the source beyond its
 * length. So the cache starts with a line naming the bundle's build id (its
 * first line, `const BATON_BUILD_ID = "…";`, which esbuild.mjs makes a hash of
 * the bundle's text) and length, and a cache for any other bundle, or for a
 * bundle without an id, is not used. Not the file's modification time: npm
 * resets it when it installs a package, which would turn the cache off in
 * every installed CLI. Nothing writes the cache at run time: the package
 * directory may be read-only, and a cache is code, which only the build that
 * wrote the bundle should provide.
 */

/** Node's CommonJS wrapper, so the bundle runs as if `require`d. */
function wrapped(source) {
  return `(function (exports, require, module, __filename, __dirname) { ${source}\n});`;
}

function cacheFileOf(bundle) {
  return `${bundle}.cache`;
}

const BUILD_ID_LINE = /^const BATON_BUILD_ID = "([0-9a-f]{16,64})";/;

/** The cache key of a bundle's text: its build id and length, or undefined without an id. */
function cacheKeyOf(source) {
  const id = BUILD_ID_LINE.exec(source.slice(0, 120))?.[1];
  return id === undefined ? undefined : `${id} ${source.length}\n`;
}

/** The V8 data in the bundle's cache, or undefined when there is none for this very bundle. */
function readCache(bundle, source) {
  const text = cacheKeyOf(source);
  if (text === undefined) return undefined;
  let cache;
  try {
    cache = fs.readFileSync(cacheFileOf(bundle));
  } catch {
    return undefined;
  }
  const key = Buffer.from(text);
  return cache.subarray(0, key.length).equals(key) ? cache.subarray(key.length) : undefined;
}

function compile(bundle, source, cachedData) {
  return new vm.Script(wrapped(source), { filename: bundle, cachedData });
}

/**
 * Loads the CLI bundle with its code cache, as `require(bundle)` would load it.
 * The bundle requires only Node's own modules (its dependencies are bundled)
 * and must not `import()` anything at run time: a script compiled here has no
 * module loader for that (esbuild.mjs refuses such a bundle). With source maps
 * enabled (`--enable-source-maps`), it is simply required, so Node maps stack
 * traces as usual.
 * @param {string} bundle the bundle's path
 * @returns {unknown} the bundle's exports
 */
function loadBundle(bundle) {
  if (process.sourceMapsEnabled) return require(bundle);
  const source = fs.readFileSync(bundle, 'utf8');
  return run(compile(bundle, source, readCache(bundle, source)), bundle);
}

function run(script, bundle) {
  const module = { exports: {} };
  const wrapper = script.runInThisContext();
  const dir = path.dirname(bundle);
  wrapper.call(module.exports, module.exports, createRequire(bundle), module, bundle, dir);
  return module.exports;
}

/**
 * Writes the code cache of `bundle`: runs its top level, lets it load every
 * command's modules (`loadEveryCommand()`, which runs no command), then asks
 * V8 for what it compiled. The build runs this file for that, in a process of
 * its own (`node cliLoader.js <bundle>`), right after writing the bundle.
 * @param {string} bundle the bundle's path
 * @returns {Promise<boolean>} whether V8 gave a cache (never for a bundle without a build id)
 */
async function writeBundleCache(bundle) {
  const source = fs.readFileSync(bundle, 'utf8');
  const key = cacheKeyOf(source);
  if (key === undefined) return false;
  const script = compile(bundle, source, undefined);
  await run(script, bundle).loadEveryCommand?.();
  const data = script.createCachedData();
  if (data.length === 0) return false;
  const file = cacheFileOf(bundle);
  const temporary = `${file}.${process.pid}`;
  fs.writeFileSync(temporary, Buffer.concat([Buffer.from(key), data]));
  fs.renameSync(temporary, file);
  return true;
}

/**
 * Loads the `baton` CLI of the server package at `root` (see `cliEntry`).
 * @param {string} root the server package's directory
 * @returns {{ runCli(): void }} the CLI's entry module
 */
function loadCli(root) {
  const entry = cliEntry(root);
  return entry.bundled ? loadBundle(entry.file) : require(entry.file);
}

/** The build id on the first line of `bundle`, or undefined when it has none (or cannot be read). */
function buildIdOf(bundle) {
  let fd;
  try {
    fd = fs.openSync(bundle, 'r');
    const head = Buffer.alloc(120);
    const read = fs.readSync(fd, head, 0, head.length, 0);
    return BUILD_ID_LINE.exec(head.subarray(0, read).toString('latin1'))?.[1];
  } catch {
    return undefined;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * Answers a plain `baton run <file> --dry-run` from its kept plan when
 * nothing the plan depended on has changed, without loading the CLI bundle
 * (`dist/dry-run.js`, server/src/cli/cachedDryRun.ts): Node's start-up plus
 * one `stat` per file is then the whole cost. Only with the bundle, whose
 * build id ties kept plans to the code that made them; anything else
 * (another command, other options, no kept plan, any error) returns false
 * having printed nothing, and the full CLI answers.
 * @param {string} root the server package's directory
 * @param {readonly string[]} argv the command's arguments
 * @returns {boolean} whether the plan was printed
 */
function printCachedDryRun(root, argv) {
  if (!argv.includes('-n') && !argv.includes('--dry-run')) return false;
  const entry = cliEntry(root);
  if (!entry.bundled) return false;
  const build = buildIdOf(entry.file);
  if (build === undefined) return false;
  try {
    return require(path.join(root, 'dist', 'dry-run.js')).printCachedPlan(argv, build) === true;
  } catch {
    return false;
  }
}

module.exports = { cliEntry, loadBundle, loadCli, printCachedDryRun, writeBundleCache };

if (require.main === module) {
  // Exits when done: nothing the bundle loads should keep a handle open, but the build must not hang on one.
  writeBundleCache(path.resolve(process.argv[2] ?? '')).then(
    () => process.exit(0),
    (error) => {
      process.stderr.write(`cannot write the code cache of ${process.argv[2]}: ${error}\n`);
      process.exit(1);
    },
  );
}
