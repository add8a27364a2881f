import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { watchFileWithFsWatch } from '../../src/tail/inodeWatch';
import { TailedFile } from '../../src/tail/tailedFile';
import { waitFor } from '../helpers/waitFor';
import { makeTempDir } from '../store/helpers';

/** A tailed file followed by its inode watch alone (no chokidar, no polling), and what it reported. */
interface Followed {
  readonly file: TailedFile;
  readonly lines: string[];
  readonly notes: string[];
}

async function follow(abs: string, names: string[] = [abs]): Promise<Followed> {
  const handle = await fs.open(abs, 'r');
  const stat = await handle.stat();
  const lines: string[] = [];
  const notes: string[] = [];
  const init = { key: `${stat.dev}:${stat.ino}`, rel: 'f', handle, offset: 0 };
  const file = new TailedFile(
    { ...init, maxLineLength: undefined },
    {
      line: (_file, text) => lines.push(text),
      truncated: () => notes.push('truncated'),
      namesMayHaveChanged: () => notes.push('names'),
      error: (error) => notes.push(`error ${String(error)}`),
    },
  );
  for (const name of names) file.names.add(name);
  file.startWatch(abs, watchFileWithFsWatch);
  assert.ok(file.isWatched);
  await file.pump();
  return { file, lines, notes };
}

describe('TailedFile (inode watch alone)', () => {
  let dir: string;
  let cleanup: () => void;
  let followed: Followed | undefined;
  beforeEach(() => ({ dir, cleanup } = makeTempDir('baton-tailed-file-')));
  afterEach(async () => {
    await followed?.file.close();
    followed = undefined;
    cleanup();
  });

  it('reads each write as it comes, holding a partial line until its newline', async () => {
    const abs = path.join(dir, 'a.log');
    await fs.writeFile(abs, 'first\n');
    followed = await follow(abs);
    const { lines } = followed;
    assert.deepEqual(lines, ['first']);
    for (let i = 0; i < 20; i++) {
      await fs.appendFile(abs, `line ${i}\n`);
      await waitFor(`line ${i}`, () => lines.length === i + 2);
    }
    await fs.appendFile(abs, 'half');
    const { size } = await fs.stat(abs);
    await waitFor('the partial to be read', () => followed?.file.offset === size);
    await fs.appendFile(abs, ' whole\n');
    await waitFor('the whole line', () => lines.at(-1) === 'half whole');
    assert.equal(lines.length, 22);
  });

  it('starts again at 0 after a truncation, ending the held partial line first', async () => {
    const abs = path.join(dir, 't.log');
    await fs.writeFile(abs, 'one\ntwo\nunfinished');
    followed = await follow(abs);
    await fs.truncate(abs, 0);
    await waitFor('the truncation', () => followed?.notes.includes('truncated'));
    await fs.appendFile(abs, 'three\n');
    await waitFor('the line after it', () => followed?.lines.includes('three'));
    assert.deepEqual(followed.lines, ['one', 'two', 'unfinished', 'three']);
  });

  it('says its names need looking at when it is renamed or deleted', async () => {
    const abs = path.join(dir, 'r.log');
    await fs.writeFile(abs, 'x\n');
    followed = await follow(abs);
    await fs.rename(abs, path.join(dir, 'r.log.1'));
    await waitFor('the rename', () => followed?.notes.includes('names'));
    followed.notes.length = 0;
    await fs.unlink(path.join(dir, 'r.log.1'));
    await waitFor('the deletion', () => followed?.notes.includes('names'));
  });
});
