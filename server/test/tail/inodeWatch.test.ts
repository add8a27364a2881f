import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { InodeWatch, InodeWatchEvent } from '../../src/tail/inodeWatch';
import { watchFileWithFsWatch } from '../../src/tail/inodeWatch';
import { waitFor } from '../helpers/waitFor';
import { makeTempDir } from '../store/helpers';

describe('watchFileWithFsWatch', () => {
  let dir: string;
  let cleanup: () => void;
  const watches: InodeWatch[] = [];
  beforeEach(() => ({ dir, cleanup } = makeTempDir('baton-inode-watch-')));
  afterEach(() => {
    for (const watch of watches.splice(0)) watch.close();
    cleanup();
  });

  function watchRecording(file: string): InodeWatchEvent[] {
    const events: InodeWatchEvent[] = [];
    const watch = watchFileWithFsWatch(
      file,
      (event) => events.push(event),
      () => undefined,
    );
    assert.ok(watch, `a watch of ${file}`);
    watches.push(watch);
    return events;
  }

  it('returns undefined when the file cannot be watched, instead of throwing', () => {
    const lost: Error[] = [];
    const watch = watchFileWithFsWatch(
      path.join(dir, 'missing.log'),
      () => undefined,
      (error) => lost.push(error),
    );
    assert.equal(watch, undefined);
    assert.deepEqual(lost, []);
  });

  it('reports writes, and a rename as a move, then keeps following the renamed file', async () => {
    const file = path.join(dir, 'a.log');
    await fs.writeFile(file, '');
    const events = watchRecording(file);
    await fs.appendFile(file, 'one\n');
    await waitFor('a write', () => events.includes('written'));
    await fs.rename(file, path.join(dir, 'a.log.1'));
    await waitFor('the move', () => events.includes('moved'));
    events.length = 0;
    await fs.appendFile(path.join(dir, 'a.log.1'), 'two\n');
    await waitFor('a write to the renamed file', () => events.includes('written'));
  });

  it('reports nothing once closed', async () => {
    const file = path.join(dir, 'b.log');
    await fs.writeFile(file, '');
    const closedEvents = watchRecording(file);
    watches.pop()?.close();
    // A second watch of the same file sees the write: by then the closed one would have too.
    const openEvents = watchRecording(file);
    await fs.appendFile(file, 'line\n');
    await waitFor('the open watch to see the write', () => openEvents.includes('written'));
    assert.deepEqual(closedEvents, []);
  });
});
