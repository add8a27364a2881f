import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import { tempDir } from '../engine/helpers';

// The bin scripts are plain CommonJS next to the compiled sources, not part of them.
const loadBin = createRequire(__filename);
const { cliEntry } = loadBin(path.resolve(__dirname, '..', '..', '..', 'bin', 'cliEntry.js')) as {
  cliEntry: (root: string) => string;
};

describe('the module the baton bin runs', () => {
  let root: string;
  const bundle = (): string => path.join(root, 'dist', 'baton.js');
  const compiled = (): string => path.join(root, 'out', 'src', 'cli', 'main.js');
  const buildInfo = (): string => path.join(root, 'out', 'tsconfig.tsbuildinfo');

  async function write(file: string, secondsAgo: number): Promise<void> {
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, '');
    const at = Date.now() / 1000 - secondsAgo;
    await fs.utimes(file, at, at);
  }

  beforeEach(async () => {
    root = await tempDir('cli-entry');
    await write(compiled(), 100);
  });

  afterEach(async () => {
    await fs.rm(root, { recursive: true, force: true });
  });

  it('is the compiled CLI when there is no bundle', () => {
    assert.equal(cliEntry(root), compiled());
  });

  it('is the bundle when it was built after the last compile', async () => {
    await write(buildInfo(), 60);
    await write(bundle(), 30);
    assert.equal(cliEntry(root), bundle());
  });

  it('is the compiled CLI when tsc -b compiled after the bundle was built', async () => {
    await write(bundle(), 60);
    await write(buildInfo(), 30);
    assert.equal(cliEntry(root), compiled());
  });

  it('is the bundle when there is no record of a compile', async () => {
    await write(bundle(), 60);
    assert.equal(cliEntry(root), bundle());
  });
});
