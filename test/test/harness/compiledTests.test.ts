import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { findCompiledTests } from '../../src/harness/compiledTests';

describe('findCompiledTests', () => {
  let root: string;
  beforeEach(() => (root = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-compiled-'))));
  afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

  function write(relative: string): string {
    const file = path.join(root, relative);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '');
    return file;
  }

  it('lists compiled tests whose source exists and skips stale ones', async () => {
    write('src/e2e/a.test.ts');
    write('src/e2e/nested/b.test.ts');
    const a = write('out/src/e2e/a.test.js');
    const b = write('out/src/e2e/nested/b.test.js');
    write('out/src/e2e/deleted.test.js');
    write('out/src/e2e/helper.js');
    assert.deepEqual(await findCompiledTests(path.join(root, 'out/src/e2e')), [a, b].sort());
  });

  it('fails when there is nothing to run', async () => {
    write('out/src/e2e/deleted.test.js');
    await assert.rejects(
      findCompiledTests(path.join(root, 'out/src/e2e')),
      /no \*\.test\.js files/,
    );
  });
});
