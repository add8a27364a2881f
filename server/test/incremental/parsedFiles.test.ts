import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { keepWritten, parsedWhileUnchanged } from '../../src/incremental/parsedFiles';
import { tempDir } from '../engine/helpers';

describe('parsed cache files kept while unchanged (parsedFiles)', () => {
  it('parses a file again once it was replaced, changed in place or removed', async () => {
    const dir = await tempDir('parsed-files');
    try {
      const file = path.join(dir, 'cache.json');
      let parses = 0;
      const read = (): string =>
        parsedWhileUnchanged(file, () => {
          parses += 1;
          return 'parsed';
        });
      await fs.writeFile(file, '{"a":1}');
      keepWritten(file, 'as written');
      assert.equal(read(), 'as written');
      assert.equal(parses, 0);
      // Replaced whole by another process, as every cache is written.
      await fs.writeFile(`${file}.tmp`, '{"a":2}');
      await fs.rename(`${file}.tmp`, file);
      assert.equal(read(), 'parsed');
      assert.equal(parses, 1);
      keepWritten(file, 'as written again');
      await fs.appendFile(file, ' ');
      assert.equal(read(), 'parsed');
      assert.equal(parses, 2);
      await fs.rm(file);
      assert.equal(read(), 'parsed');
      assert.equal(parses, 3);
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
