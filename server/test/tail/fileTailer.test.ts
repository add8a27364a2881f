import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { FileTailer } from '../../src/tail/fileTailer';
import { waitFor } from '../helpers/waitFor';
import { makeTempDir } from '../store/helpers';
import { startTailing, waitForLines } from './tailing';
import type { TailOptions, Tailing } from './tailing';

function describeTailing(title: string, mode: TailOptions): void {
  describe(title, () => {
    let dir: string;
    let cleanup: () => void;
    let tailing: Tailing | undefined;
    const file = (name: string): string => path.join(dir, name);
    beforeEach(() => ({ dir, cleanup } = makeTempDir('baton-tail-')));
    afterEach(async () => {
      await tailing?.tailer.close();
      tailing = undefined;
      cleanup();
    });

    it('tails a file created later in a directory that does not exist yet', async () => {
      tailing = await startTailing(dir, ['out/**/*.jsonl'], mode);
      await fs.mkdir(file('out/deep'), { recursive: true });
      await fs.writeFile(file('out/deep/progress.jsonl'), '{"progress": 10}\n');
      await fs.writeFile(file('out/ignored.txt'), 'not watched\n');
      await waitForLines(tailing, 1);
      await fs.appendFile(file('out/deep/progress.jsonl'), '{"progress": 20}\nsecond\n');
      await waitForLines(tailing, 3);
      assert.deepEqual(tailing.lines, [
        'out/deep/progress.jsonl: {"progress": 10}',
        'out/deep/progress.jsonl: {"progress": 20}',
        'out/deep/progress.jsonl: second',
      ]);
    });

    it('tails files again after their directory is deleted and re-created', async () => {
      await fs.mkdir(file('status'));
      await fs.writeFile(file('status/a.log'), 'old\n');
      tailing = await startTailing(dir, ['status/*.log'], { ...mode, fromEnd: true });
      // Ready means the scan found the file; its first look may still be queued, and a file
      // deleted before the tailer looked at it was never open, so it has no deletion to report.
      await waitFor(
        'the file to be open',
        () => 'status/a.log' in (tailing?.tailer.offsets() ?? {}),
      );
      await fs.rm(file('status'), { recursive: true });
      await waitFor('the deletion', () => tailing?.resets.includes('status/a.log: deleted'));
      await fs.mkdir(file('status'));
      await fs.writeFile(file('status/a.log'), 'new\n');
      await fs.writeFile(file('status/b.log'), 'other\n');
      await waitForLines(tailing, 2);
      await fs.appendFile(file('status/b.log'), 'more\n');
      await waitForLines(tailing, 3);
      assert.deepEqual(tailing.of('status/a.log'), ['new']);
      assert.deepEqual(tailing.of('status/b.log'), ['other', 'more']);
    });

    it('holds a line without a newline until the newline comes, or until close({ flushPartial })', async () => {
      tailing = await startTailing(dir, ['*.log'], mode);
      await fs.writeFile(file('a.log'), 'first\nhalf');
      await waitFor('the first line', () => tailing?.lines.length === 1);
      await waitFor('the partial to be read', () => tailing?.tailer.offsets()['a.log'] === 10);
      await fs.appendFile(file('a.log'), ' and whole\nno newline at the end');
      await waitForLines(tailing, 2);
      const size = (await fs.stat(file('a.log'))).size;
      await waitFor('the tail to be read', () => tailing?.tailer.offsets()['a.log'] === size);
      assert.deepEqual(tailing.of('a.log'), ['first', 'half and whole']);
      await tailing.tailer.close({ flushPartial: true });
      assert.deepEqual(tailing.of('a.log'), ['first', 'half and whole', 'no newline at the end']);
    });

    it('drops a held partial line on a plain close()', async () => {
      tailing = await startTailing(dir, ['*.log'], mode);
      await fs.writeFile(file('a.log'), 'whole\npartial');
      await tailing.tailer.close();
      assert.deepEqual(tailing.of('a.log'), ['whole']);
    });

    it('joins multi-byte UTF-8 characters split across writes', async () => {
      tailing = await startTailing(dir, ['*.txt'], mode);
      const text = 'héllo wörld € 𝄞 日本\n';
      const bytes = Buffer.from(text);
      const handle = await fs.open(file('u.txt'), 'a');
      for (let i = 0; i < bytes.length; i++) {
        await handle.write(bytes.subarray(i, i + 1));
        await waitFor(`byte ${i} to be read`, () => tailing?.tailer.offsets()['u.txt'] === i + 1);
      }
      await handle.close();
      await waitForLines(tailing, 1);
      assert.deepEqual(tailing.of('u.txt'), [text.trimEnd()]);
    });

    it('starts again from 0 after a truncation', async () => {
      tailing = await startTailing(dir, ['*.log'], mode);
      await fs.writeFile(file('t.log'), 'one\ntwo\nthree\n');
      await waitForLines(tailing, 3);
      await fs.writeFile(file('t.log'), 'new\n');
      await waitForLines(tailing, 4);
      assert.deepEqual(tailing.of('t.log'), ['one', 'two', 'three', 'new']);
      assert.deepEqual(tailing.resets, ['t.log: truncated']);
    });

    it('reads a rotated file to its end and the new one from 0, each line once', async () => {
      tailing = await startTailing(dir, ['app.log'], mode);
      await fs.writeFile(file('app.log'), 'one\ntwo\n');
      await waitForLines(tailing, 2);
      await fs.appendFile(file('app.log'), 'three\n');
      await fs.rename(file('app.log'), file('app.log.1'));
      await fs.writeFile(file('app.log'), 'four\n');
      await waitForLines(tailing, 4);
      await fs.appendFile(file('app.log'), 'five\n');
      await waitForLines(tailing, 5);
      await tailing.tailer.close();
      assert.deepEqual(tailing.of('app.log'), ['one', 'two', 'three', 'four', 'five']);
    });

    it('reads what a writer adds to a file after it was rotated to a name not watched', async () => {
      tailing = await startTailing(dir, ['app.log'], mode);
      const writer = await fs.open(file('app.log'), 'a');
      await writer.write('one\n');
      await waitForLines(tailing, 1);
      await fs.rename(file('app.log'), file('app.log.1'));
      await fs.writeFile(file('app.log'), 'new file\n');
      await waitFor('the new file', () => tailing?.of('app.log').includes('new file'));
      // The writer has not reopened its file yet: its next line still belongs to the old one.
      await writer.write('late line\n');
      await writer.close();
      await waitForLines(tailing, 3);
      assert.deepEqual(tailing.of('app.log'), ['one', 'new file', 'late line']);
      assert.deepEqual(tailing.resets, ['app.log: replaced']);
    });

    it('follows a copytruncate rotation: the writer keeps its file, which starts again at 0', async () => {
      tailing = await startTailing(dir, ['app.log'], mode);
      const writer = await fs.open(file('app.log'), 'a');
      await writer.write('one\ntwo\n');
      await waitForLines(tailing, 2);
      await fs.copyFile(file('app.log'), file('app.log.1'));
      await fs.truncate(file('app.log'), 0);
      await waitFor('the truncation', () => tailing?.resets.includes('app.log: truncated'));
      await writer.write('three\n');
      await writer.close();
      await waitForLines(tailing, 3);
      await tailing.tailer.close();
      assert.deepEqual(tailing.of('app.log'), ['one', 'two', 'three']);
      assert.deepEqual(tailing.resets, ['app.log: truncated']);
    });

    it('continues a rotated file under its new watched name without repeating it', async () => {
      tailing = await startTailing(dir, ['app.log*'], mode);
      await fs.writeFile(file('app.log'), 'one\ntwo\n');
      await waitForLines(tailing, 2);
      // The writer still has the old file open: it writes one more line there after the rename.
      const old = await fs.open(file('app.log'), 'a');
      await fs.rename(file('app.log'), file('app.log.1'));
      await fs.writeFile(file('app.log'), 'new one\n');
      await old.write('late line\n');
      await old.close();
      await waitFor('all four lines', () => (tailing?.lines.length ?? 0) >= 4);
      await tailing.tailer.close();
      // Lines keep the name their file had when first seen; the two files' lines may interleave.
      const lines = tailing.of('app.log');
      assert.deepEqual(lines.slice(0, 2), ['one', 'two']);
      assert.deepEqual([...lines.slice(2)].sort(), ['late line', 'new one']);
      assert.deepEqual(tailing.of('app.log.1'), []);
      assert.equal(tailing.lines.length, 4);
    });

    it('reads a deleted and re-created file from 0, nothing lost or repeated', async () => {
      tailing = await startTailing(dir, ['d.log'], mode);
      await fs.writeFile(file('d.log'), 'before\n');
      await waitForLines(tailing, 1);
      await fs.appendFile(file('d.log'), 'last words\n');
      await fs.unlink(file('d.log'));
      await waitFor('the deletion to be seen', () => tailing?.resets.includes('d.log: deleted'));
      await fs.writeFile(file('d.log'), 'after\n');
      await waitForLines(tailing, 3);
      await tailing.tailer.close();
      assert.deepEqual(tailing.of('d.log'), ['before', 'last words', 'after']);
    });

    it('reports every line exactly once and in order under fast appends to several files', async function () {
      this.timeout(60_000);
      tailing = await startTailing(dir, ['fast/*.log'], mode);
      await fs.mkdir(file('fast'));
      const perFile = 3_000;
      const names = ['a', 'b', 'c'];
      const expected = new Map<string, string[]>();
      for (const name of names) {
        const lines: string[] = [];
        for (let i = 0; i < perFile; i++) {
          if (i % 7 === 0 && i > 0) lines[lines.length - 1] += `${name} line ${i}`;
          else lines.push(`${name} line ${i}`);
        }
        expected.set(name, lines);
      }
      const total = [...expected.values()].reduce((sum, lines) => sum + lines.length, 0);
      const writers = names.map(async (name) => {
        const handle = await fs.open(file(`fast/${name}.log`), 'a');
        for (let i = 0; i < perFile; i++) {
          // Every seventh write continues the previous line, so many writes end mid-line.
          await handle.write(i % 7 === 0 && i > 0 ? `${name} line ${i}` : `\n${name} line ${i}`);
        }
        await handle.write('\n');
        await handle.close();
      });
      await Promise.all(writers);
      // Not closed yet: every line must arrive through the watcher alone.
      await waitFor(
        `all ${total} lines`,
        () => (tailing?.lines.length ?? 0) >= total + names.length,
      );
      await tailing.tailer.close();
      for (const name of names) {
        assert.deepEqual(tailing.of(`fast/${name}.log`), ['', ...(expected.get(name) ?? [])]);
      }
      assert.deepEqual(tailing.errors, []);
    });

    it('finds, at close, lines of a file written just before it', async () => {
      tailing = await startTailing(dir, ['late/*.log'], mode);
      await fs.mkdir(file('late'));
      await fs.writeFile(file('late/x.log'), 'written right before close\n');
      await tailing.tailer.close();
      assert.deepEqual(tailing.of('late/x.log'), ['written right before close']);
    });

    it('can start existing files at their end, or at saved offsets', async () => {
      await fs.writeFile(file('old.log'), 'old line\n');
      await fs.writeFile(file('saved.log'), 'seen\nnot yet seen\n');
      tailing = await startTailing(dir, ['*.log'], {
        ...mode,
        fromEnd: true,
        offsets: { 'saved.log': 5 },
      });
      await waitFor('the saved file', () => tailing?.lines.length === 1);
      await fs.appendFile(file('old.log'), 'new line\n');
      await fs.writeFile(file('fresh.log'), 'fresh\n');
      await waitForLines(tailing, 3);
      assert.deepEqual(tailing.of('saved.log'), ['not yet seen']);
      assert.deepEqual(tailing.of('old.log'), ['new line']);
      assert.deepEqual(tailing.of('fresh.log'), ['fresh']);
      assert.deepEqual(tailing.tailer.offsets(), {
        'old.log': 18,
        'saved.log': 18,
        'fresh.log': 6,
      });
    });

    it('with fromEnd, reads what is written right after it is created, before its first scan', async () => {
      await fs.writeFile(file('early.log'), 'before\n');
      const tailer = new FileTailer({ cwd: dir, globs: ['*.log'], fromEnd: true, ...mode });
      const lines: string[] = [];
      tailer.on('line', (_file, text) => lines.push(text));
      await fs.appendFile(file('early.log'), 'right after\n');
      await tailer.ready();
      await waitFor('the line written before the first scan', () => lines.length === 1);
      await tailer.close();
      assert.deepEqual(lines, ['right after']);
    });
  });
}

describeTailing('FileTailer (file-system events)', {});
// As where the system's limit of inotify watches is reached: chokidar's events and rechecks alone.
describeTailing('FileTailer (no inode watches)', { watchFile: () => undefined });
describeTailing('FileTailer (polling)', { poll: true, pollIntervalMs: 20 });
