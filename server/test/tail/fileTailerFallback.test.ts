import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { WatchFile } from '../../src/tail/inodeWatch';
import { watchFileWithFsWatch } from '../../src/tail/inodeWatch';
import { waitFor } from '../helpers/waitFor';
import { makeTempDir } from '../store/helpers';
import { canCountResources, heldResources, startTailing, waitForLines } from './tailing';
import type { Tailing } from './tailing';
import { skipOrFailWithout } from '../helpers/capability';

describe('FileTailer: fallbacks and resources', () => {
  let dir: string;
  let cleanup: () => void;
  let tailing: Tailing | undefined;
  const file = (name: string): string => path.join(dir, name);
  beforeEach(() => ({ dir, cleanup } = makeTempDir('baton-tail-more-')));
  afterEach(async () => {
    await tailing?.tailer.close();
    tailing = undefined;
    cleanup();
  });

  it('falls back to chokidar when an inode watch stops working', async () => {
    const lost: string[] = [];
    // Each watch fails at its first event, as an fs.watch 'error' would make it.
    const failing: WatchFile = (name, _onEvent, onLost) =>
      watchFileWithFsWatch(
        name,
        () => {
          lost.push(name);
          onLost(new Error('watch failed'));
        },
        onLost,
      );
    tailing = await startTailing(dir, ['*.log'], { watchFile: failing });
    await fs.writeFile(file('a.log'), 'one\n');
    await waitForLines(tailing, 1);
    for (let i = 0; i < 10; i++) await fs.appendFile(file('a.log'), `line ${i}\n`);
    await waitForLines(tailing, 11);
    assert.ok(lost.length > 0, 'the watch failed');
    assert.deepEqual(
      tailing.of('a.log').slice(1),
      [...Array(10).keys()].map((i) => `line ${i}`),
    );
  });

  it('finds writes and rotations by its safety poll alone when no event says anything', async () => {
    await fs.writeFile(file('quiet.log'), 'before\n');
    // Polling uses no file-system events; its own scan is too slow to matter here.
    tailing = await startTailing(dir, ['quiet.log'], {
      poll: true,
      pollIntervalMs: 600_000,
      safetyPollMs: 20,
    });
    await waitForLines(tailing, 1);
    await fs.appendFile(file('quiet.log'), 'appended\n');
    await waitForLines(tailing, 2);
    await fs.rename(file('quiet.log'), file('quiet.log.1'));
    await fs.writeFile(file('quiet.log'), 'rotated\n');
    await waitForLines(tailing, 3);
    assert.deepEqual(tailing.of('quiet.log'), ['before', 'appended', 'rotated']);
  });

  it('finds by its safety poll a new file that no event announced', async () => {
    // Polling uses no file-system events, and its own scan comes only after the test.
    tailing = await startTailing(dir, ['late/*.log'], {
      poll: true,
      pollIntervalMs: 600_000,
      safetyPollMs: 20,
    });
    await fs.mkdir(file('late'));
    await fs.writeFile(file('late/new.log'), 'first\n');
    await waitForLines(tailing, 1);
    await fs.appendFile(file('late/new.log'), 'second\n');
    await waitForLines(tailing, 2);
    assert.deepEqual(tailing.of('late/new.log'), ['first', 'second']);
  });

  it('tails many files at once, each in order', async function () {
    this.timeout(60_000);
    tailing = await startTailing(dir, ['many/*.log']);
    await fs.mkdir(file('many'));
    const names = [...Array(40).keys()].map((i) => `many/f${i}.log`);
    for (let round = 0; round < 5; round++) {
      await Promise.all(names.map((name) => fs.appendFile(file(name), `${name} ${round}\n`)));
    }
    await waitForLines(tailing, names.length * 5);
    for (const name of names) {
      assert.deepEqual(
        tailing.of(name),
        [0, 1, 2, 3, 4].map((round) => `${name} ${round}`),
      );
    }
  });

  it('releases every descriptor and inotify watch it held once closed', async function () {
    // /proc exists on every Linux CI machine: a missing one there means the leak check
    // silently stopped running, so CI fails instead of skipping.
    if (!canCountResources()) {
      skipOrFailWithout(
        this,
        '/proc/self/fdinfo to count descriptors and inotify watches',
        'run the tests on Linux with /proc mounted',
      );
    }
    this.timeout(60_000);
    // Node opens its one inotify instance at the first watch and keeps it: open it first.
    await (await startTailing(dir, ['warm-up.log'])).tailer.close();
    const before = heldResources();
    tailing = await startTailing(dir, ['logs/*.log']);
    await fs.mkdir(file('logs'));
    const names = [...Array(20).keys()].map((i) => `logs/f${i}.log`);
    await Promise.all(names.map((name) => fs.writeFile(file(name), 'first\n')));
    await waitForLines(tailing, names.length);
    const during = heldResources();
    assert.ok(during.descriptors >= before.descriptors + names.length, 'the files are open');
    assert.ok(during.inotifyWatches > before.inotifyWatches, 'the files are watched');
    // Rotate some (more than the tailer keeps open), delete and re-create others, truncate one.
    for (const name of names.slice(0, 12)) {
      await fs.rename(file(name), file(`${name}.old`));
      await fs.writeFile(file(name), 'second\n');
    }
    for (const name of names.slice(12, 18)) {
      await fs.unlink(file(name));
      await fs.writeFile(file(name), 'second\n');
    }
    await fs.writeFile(file(names[18] ?? ''), 'second\n');
    await waitForLines(tailing, names.length + 19);
    await tailing.tailer.close();
    await waitFor('every watch to be released', () => {
      const after = heldResources();
      return after.inotifyWatches === before.inotifyWatches || undefined;
    });
    assert.deepEqual(heldResources(), before);
  });
});
