import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { AttemptOutput } from '../../src/engine/attempt/attemptOutput';
import type { EngineEvents } from '../../src/engine/engineEvents';
import { Masker } from '../../src/output/masker';
import { TypedEmitter } from '../../src/engine/typedEmitter';
import { LogWriter } from '../../src/store/logWriter';
import { tempDir } from './helpers';

type Stream = 'stdout' | 'stderr';

/** An attempt's output with a real log file, recording every event and callback in order. */
async function openOutput(
  dir: string,
  name: string,
  plainRuns: boolean,
  secrets: string[],
  process: unknown = undefined,
) {
  const masker = new Masker();
  for (const secret of secrets) masker.add(secret);
  const emitter = new TypedEmitter<EngineEvents>();
  const seen: unknown[] = [];
  emitter.on('log', ({ text }) => seen.push({ log: text }));
  emitter.on('annotation', ({ annotation }) => seen.push({ annotation }));
  const output = new AttemptOutput({
    runId: 'run',
    stage: 'stage',
    attempt: 1,
    masker,
    plainRuns,
    maxLineLength: 64,
    emitter,
    onProgress: (progress) => seen.push({ progress }),
    onPrompt: (prompt) => seen.push({ prompt }),
    process: () => process,
  });
  const file = path.join(dir, `${name}.log`);
  output.attach(await LogWriter.open(file));
  return { output, masker, seen, file };
}

/** Feeds the same chunks to the fast and the per-line path; returns both logs and event lists. */
async function bothPaths(
  dir: string,
  chunks: readonly [Stream, string | Buffer][],
  options: { secrets?: string[]; lateSecret?: { afterChunk: number; value: string } } = {},
) {
  const runs = await Promise.all([
    openOutput(dir, 'fast', true, options.secrets ?? []),
    openOutput(dir, 'slow', false, options.secrets ?? []),
  ]);
  for (const run of runs) {
    chunks.forEach(([stream, chunk], index) => {
      run.output.push(stream, typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
      // Another stage's ::add-mask:: reaches the run's masker, which every attempt shares.
      if (options.lateSecret?.afterChunk === index) run.masker.add(options.lateSecret.value);
    });
    run.output.end();
    await run.output.close();
  }
  const [fast, slow] = await Promise.all(
    runs.map(async (run) => ({ log: await fs.readFile(run.file), seen: run.seen })),
  );
  assert.ok(fast && slow);
  return { fast, slow };
}

describe('AttemptOutput', () => {
  let dir = '';
  beforeEach(async () => {
    dir = await tempDir('attempt-output');
  });
  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('writes the same log bytes and events on the fast path as line by line', async () => {
    const long = 'L'.repeat(200);
    const { fast, slow } = await bothPaths(dir, [
      ['stdout', 'plain one\nplain two\n::progress value=1,total=4::a quarter\nafter\n'],
      ['stdout', 'crlf line\r\nbar 10%|#   | 1/10\rbar 20%|##  | 2/10\r'],
      ['stderr', '::warning::on stderr, just text\nerr line\n'],
      ['stdout', `::warning file=a.py,line=3::careful\n${long}\nhalf a li`],
      ['stdout', 'ne\n::prompt id=go::Go?\n'],
      ['stdout', Buffer.from([0x6f, 0x6b, 0x0a, 0xff, 0xfe, 0x0a, 0xe2, 0x82])],
      ['stdout', Buffer.from([0xac, 0x0a])],
      ['stdout', 'osc \x1b]9;4;1;40\x07 x\nunfinished at the end'],
    ]);
    assert.deepEqual(fast.log, slow.log);
    assert.deepEqual(fast.seen, slow.seen);
    const log = fast.log.toString('utf8');
    assert.match(
      log,
      /^plain one\nplain two\n\[progress\] 25% \(1\/4\) a quarter\nafter\ncrlf line\n/,
    );
    assert.ok(log.includes(`${long}\nhalf a line\n`));
    assert.ok(log.includes('€\n'), 'a character split across chunks is whole');
    assert.ok(log.endsWith('unfinished at the end\n'), 'the last line is ended at exit');
  });

  it('never writes a secret, split across chunks or known only to the run, on either path', async () => {
    const { fast, slow } = await bothPaths(
      dir,
      [
        ['stdout', 'one\ntoken: hunter'],
        ['stdout', '2 ok\nplain\n::add-mask::swordfish\nthe swordfish swims\n'],
        ['stderr', 'stderr swordfish\nhunter2\n'],
        ['stdout', 'before\n'],
        ['stdout', 'late tuna-secret here\nand tuna-sec'],
        ['stdout', 'ret split\n'],
      ],
      { secrets: ['hunter2'], lateSecret: { afterChunk: 3, value: 'tuna-secret' } },
    );
    assert.deepEqual(fast.log, slow.log);
    assert.deepEqual(fast.seen, slow.seen);
    const everything = fast.log.toString() + JSON.stringify(fast.seen);
    for (const secret of ['hunter2', 'swordfish', 'tuna-secret']) {
      assert.ok(!everything.includes(secret), `${secret} leaked: ${everything}`);
    }
  });

  it('passes a flood through as its own bytes, one log event per chunk', async () => {
    const line =
      'bulk output line of one hundred bytes, lorem ipsum dolor sit amet, consectetur adip..\n';
    const chunks: [Stream, string][] = [];
    for (let index = 0; index < 50; index++) chunks.push(['stdout', line.repeat(600)]);
    const { fast, slow } = await bothPaths(dir, chunks);
    assert.deepEqual(fast.log, slow.log);
    assert.equal(fast.log.length, line.length * 600 * 50);
    assert.equal(fast.seen.length, 50);
    assert.deepEqual(fast.seen, slow.seen);
  });

  it('pauses the stage while the log writer is behind and resumes it once drained', async () => {
    const calls: string[] = [];
    let resumed: () => void = () => undefined;
    const resumedOnce = new Promise<void>((resolve) => (resumed = resolve));
    const stage = {
      pauseOutput: () => calls.push('pause'),
      resumeOutput: () => {
        calls.push('resume');
        resumed();
      },
    };
    const run = await openOutput(dir, 'paused', true, [], stage);
    const chunk = Buffer.from('a line of output that fills the log writer quickly\n'.repeat(1300));
    // All in one tick: nothing reaches the disk before the writer passes its high-water mark.
    for (let index = 0; index < 40; index++) run.output.push('stdout', chunk);
    assert.deepEqual(calls, ['pause'], 'paused once, however many chunks came');
    await resumedOnce;
    assert.deepEqual(calls, ['pause', 'resume']);
    await run.output.close();
    assert.equal((await fs.stat(run.file)).size, chunk.length * 40, 'nothing was dropped');
  });
});
