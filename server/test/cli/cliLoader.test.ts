import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { tempDir } from '../engine/helpers';

interface CliLoader {
  cliEntry(root: string): { file: string; bundled: boolean };
  loadBundle(bundle: string): unknown;
  writeBundleCache(bundle: string): Promise<boolean>;
  printCachedDryRun(root: string, argv: readonly string[]): boolean;
}

// The bin scripts are plain CommonJS next to the compiled sources, not part of them.
const loadBin = createRequire(__filename);
const loader = loadBin(
  path.resolve(__dirname, '..', '..', '..', 'bin', 'cliLoader.js'),
) as CliLoader;

async function writeAged(file: string, text: string, secondsAgo: number): Promise<void> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, text);
  const at = Date.now() / 1000 - secondsAgo;
  await fs.utimes(file, at, at);
}

describe('the module the baton bin runs', () => {
  let root: string;
  const bundle = (): string => path.join(root, 'dist', 'baton.js');
  const compiled = (): string => path.join(root, 'out', 'src', 'cli', 'cliMain.js');
  const buildInfo = (): string => path.join(root, 'out', 'tsconfig.tsbuildinfo');

  beforeEach(async () => {
    root = await tempDir('cli-entry');
    await writeAged(compiled(), '', 100);
  });

  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('is the compiled CLI when there is no bundle', () => {
    assert.deepEqual(loader.cliEntry(root), { file: compiled(), bundled: false });
  });

  it('is the bundle when it was built after the last compile', async () => {
    await writeAged(buildInfo(), '', 60);
    await writeAged(bundle(), '', 30);
    assert.deepEqual(loader.cliEntry(root), { file: bundle(), bundled: true });
  });

  it('is the compiled CLI when tsc -b compiled after the bundle was built', async () => {
    await writeAged(bundle(), '', 60);
    await writeAged(buildInfo(), '', 30);
    assert.deepEqual(loader.cliEntry(root), { file: compiled(), bundled: false });
  });

  it('is the bundle when there is no record of a compile', async () => {
    await writeAged(bundle(), '', 60);
    assert.deepEqual(loader.cliEntry(root), { file: bundle(), bundled: true });
  });

  it("asks the small dry-run entry first, with the bundle's build id, only for dry runs of a bundle", async () => {
    const id = 'abcdef0123456789abcdef01';
    await writeAged(bundle(), `const BATON_BUILD_ID = "${id}";\n`, 30);
    // A stand-in entry that says what it was asked and answers by the file name.
    const asked = path.join(root, 'asked.json');
    await writeAged(
      path.join(root, 'dist', 'dry-run.js'),
      `exports.printCachedPlan = (argv, build) => { require('fs').writeFileSync(${JSON.stringify(asked)}, JSON.stringify({ argv, build })); if (argv[1] === 'throws.yaml') throw new Error('no'); return argv[1] === 'kept.yaml'; };`,
      30,
    );
    assert.equal(loader.printCachedDryRun(root, ['run', 'kept.yaml', '-n']), true);
    assert.deepEqual(JSON.parse(await fs.readFile(asked, 'utf8')), {
      argv: ['run', 'kept.yaml', '-n'],
      build: id,
    });
    assert.equal(loader.printCachedDryRun(root, ['run', 'other.yaml', '--dry-run']), false);
    assert.equal(loader.printCachedDryRun(root, ['run', 'throws.yaml', '-n']), false);
    await fs.rm(asked);
    assert.equal(loader.printCachedDryRun(root, ['run', 'kept.yaml']), false);
    await writeAged(buildInfo(), '', 10);
    assert.equal(loader.printCachedDryRun(root, ['run', 'kept.yaml', '-n']), false);
    await assert.rejects(fs.access(asked), 'neither a run nor unbundled code asks the entry');
  });
});

describe('loading the CLI bundle with its code cache', () => {
  let dir: string;
  let file: string;
  /**
   * A bundle whose exports say what it saw; `value` picks its text (all values
   * have one length), `build` its build id line (as esbuild.mjs writes it).
   */
  const bundleText = (value: string, build = 'ab'.repeat(12)): string =>
    `const BATON_BUILD_ID = "${build}";\n` +
    `const os = require('node:os');\n` +
    `module.exports = { value: '${value}', file: __filename, dir: __dirname, self: this === exports, eol: os.EOL };\n`;

  beforeEach(async () => {
    dir = await tempDir('cli-bundle');
    file = path.join(dir, 'baton.js');
  });

  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('runs the bundle as require would, with or without a cache', async () => {
    await writeAged(file, bundleText('one'), 60);
    const expected = { value: 'one', file, dir, self: true, eol: '\n' };
    assert.deepEqual(loader.loadBundle(file), expected);
    assert.equal(await loader.writeBundleCache(file), true);
    assert.deepEqual(loader.loadBundle(file), expected);
  });

  it('runs the cached code for the bundle it was written for, whatever its file times', async function () {
    // With source maps on, the bundle is simply required (Node maps its stack traces).
    // A plain skip, not a CI failure: no capability is missing, the cache is simply not
    // used in that mode, and the default run (and CI) has source maps off, so it runs there.
    if (process.sourceMapsEnabled) this.skip();
    await writeAged(file, bundleText('one'), 60);
    await loader.writeBundleCache(file);
    // Same build id and length, other text and a new time (as npm install leaves
    // it): only the cache can still say 'one'.
    await writeAged(file, bundleText('two'), 0);
    assert.equal((loader.loadBundle(file) as { value: string }).value, 'one');
  });

  it('writes no cache for a bundle without a build id, and runs it as it is', async () => {
    await writeAged(file, bundleText('one').split('\n').slice(1).join('\n'), 60);
    assert.equal(await loader.writeBundleCache(file), false);
    assert.equal((loader.loadBundle(file) as { value: string }).value, 'one');
  });

  it('lets the bundle load every command before the cache is taken', async () => {
    const warmed = path.join(dir, 'warmed');
    await writeAged(
      file,
      `const BATON_BUILD_ID = "${'cd'.repeat(12)}";\nmodule.exports.loadEveryCommand = async () => require('node:fs').writeFileSync(${JSON.stringify(warmed)}, 'yes');\n`,
      60,
    );
    assert.equal(await loader.writeBundleCache(file), true);
    assert.equal(await fs.readFile(warmed, 'utf8'), 'yes');
  });

  it('leaves alone a cache written for another build', async () => {
    await writeAged(file, bundleText('one'), 60);
    await loader.writeBundleCache(file);
    await writeAged(file, bundleText('two', 'ef'.repeat(12)), 60);
    assert.equal((loader.loadBundle(file) as { value: string }).value, 'two');
  });
});
