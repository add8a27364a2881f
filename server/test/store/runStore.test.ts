import type { Pipeline, RunState } from '@baton/core';
import * as assert from 'node:assert/strict';
import { promises as fs, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { isRunOwnerAlive } from '../../src/store/lock';
import { newRunId } from '../../src/store/runId';
import { RunStore } from '../../src/store/runStore';
import { StoreError } from '../../src/store/storeError';
import { waitFor } from '../helpers/waitFor';
import { makeTempDir } from './helpers';

const T0 = Date.UTC(2026, 10, 21, 11, 0, 0);

function pipeline(id: string): Pipeline {
  return {
    id,
    file: `${id}.pipeline.yaml`,
    name: id,
    inputs: [],
    env: {},
    secretEnv: [],
    stages: [],
  };
}

function runState(runId: string, pipelineId = 'review'): RunState {
  return {
    runId,
    pipeline: pipeline(pipelineId),
    status: 'running',
    seq: 3,
    createdAt: T0,
    interactive: false,
    concurrency: 2,
    inputs: {},
    answers: {},
    stages: {
      fetch: { id: 'fetch', status: 'succeeded', attempt: 1, maxAttempts: 3, outputs: { n: '4' } },
    },
    prompts: {},
  };
}

function isCode(code: string): (error: unknown) => boolean {
  return (error: unknown) => error instanceof StoreError && error.code === code;
}

describe('RunStore', () => {
  let dir: string;
  let cleanup: () => void;
  let store: RunStore;
  const runId = newRunId(T0, () => 0.5);
  beforeEach(() => {
    ({ dir, cleanup } = makeTempDir());
    store = new RunStore(path.join(dir, '.baton'));
  });
  afterEach(() => cleanup());

  it('creates a run with owner-only directories, once', async () => {
    await store.createRun(runId);
    for (const sub of ['', 'logs', 'state', 'outputs', 'summary', 'inbox']) {
      const stat = await fs.stat(path.join(store.paths.runDir(runId), sub));
      assert.equal(stat.mode & 0o777, 0o700, sub);
    }
    assert.equal((await fs.stat(store.paths.root)).mode & 0o777, 0o700);
    assert.match(await fs.readFile(path.join(store.paths.root, '.gitignore'), 'utf8'), /^\*$/m);
    await assert.rejects(store.createRun(runId), isCode('EEXIST'));
    assert.equal(await store.hasRun(runId), true);
  });

  it('round-trips a checkpoint and refuses a corrupt or foreign one, naming the file', async () => {
    await store.createRun(runId);
    await assert.rejects(store.readCheckpoint(runId), isCode('ENOENT'));
    await store.writeCheckpoint(runId, runState(runId));
    assert.deepEqual(await store.readCheckpoint(runId), runState(runId));
    const file = store.paths.checkpointFile(runId);
    assert.equal((await fs.stat(file)).mode & 0o777, 0o600);

    writeFileSync(file, '{"runId": "20261121-110000-000-abcd", "stat');
    await assert.rejects(store.readCheckpoint(runId), (error: unknown) => {
      assert.ok(error instanceof StoreError && error.code === 'ECORRUPT');
      assert.ok(error.message.includes(file), error.message);
      assert.match(error.message, /not valid JSON/);
      return true;
    });
    writeFileSync(file, JSON.stringify({ ...runState(runId), status: 'exploded' }));
    await assert.rejects(
      store.readCheckpoint(runId),
      /is not a run state: "status" is not a run status/,
    );
    const broken = {
      ...runState(runId),
      stages: { a: { id: 'b', status: 'running', attempt: 1, maxAttempts: 1, outputs: {} } },
    };
    writeFileSync(file, JSON.stringify(broken));
    await assert.rejects(store.readCheckpoint(runId), /stages\.a\.id does not match its key/);
    const other = newRunId(T0 + 1, () => 0.1);
    await assert.rejects(store.writeCheckpoint(runId, runState(other)), isCode('EBADID'));
  });

  it('lists runs newest first, by pipeline, up to a limit, with unreadable ones marked', async () => {
    const ids = [0, 1, 2, 3].map((i) => newRunId(T0 + i * 1000, () => 0.3));
    for (const [i, id] of ids.entries()) {
      await store.createRun(id);
      await store.writeCheckpoint(id, runState(id, i % 2 === 0 ? 'review' : 'build'));
    }
    writeFileSync(store.paths.checkpointFile(ids[3] ?? ''), 'garbage');
    await fs.mkdir(path.join(store.paths.runsDir, 'not-a-run'));
    const all = await store.listRuns();
    assert.deepEqual(
      all.map((r) => r.runId),
      [...ids].reverse(),
    );
    assert.ok('error' in (all[0] ?? {}), 'the corrupt run is listed with its error');
    const review = await store.listRuns({ pipelineId: 'review' });
    assert.deepEqual(
      review.map((r) => r.runId),
      [ids[2], ids[0]],
    );
    assert.deepEqual(
      (await store.listRuns({ limit: 2 })).map((r) => r.runId),
      [ids[3], ids[2]],
    );
    assert.deepEqual(await new RunStore(path.join(dir, 'none')).listRuns(), []);
  });

  it('writes stage logs in order and reads them back in slices that keep characters whole', async () => {
    await store.createRun(runId);
    const log = await store.openStageLog(runId, 'fetch', 1);
    let expected = '';
    for (let i = 0; i < 2_000; i++) {
      const line = `line ${i} – ünïcødé €\n`;
      expected += line;
      log.write(i % 2 === 0 ? line : Buffer.from(line));
    }
    await log.close();
    assert.equal((await fs.stat(store.paths.stageLogFile(runId, 'fetch', 1))).mode & 0o777, 0o600);
    let text = '';
    let offset = 0;
    for (;;) {
      const slice = await store.readLog(runId, 'fetch', 1, offset, 1_001);
      assert.ok(!slice.text.includes('\uFFFD'), 'no character is split');
      text += slice.text;
      offset = slice.nextOffset;
      if (slice.eof) break;
    }
    assert.equal(text, expected);
    await assert.rejects(store.readLog(runId, 'fetch', 2, 0, 10), isCode('ENOENT'));
  });

  it('writes a little output on its own, without waiting for more or for close', async () => {
    await store.createRun(runId);
    const log = await store.openStageLog(runId, 'quiet', 1);
    log.write('one line\n');
    const file = store.paths.stageLogFile(runId, 'quiet', 1);
    await waitFor(
      'the line to reach the file',
      async () => (await fs.readFile(file, 'utf8')) !== '',
    );
    assert.equal(await fs.readFile(file, 'utf8'), 'one line\n');
    await log.close();
  });

  it('makes an empty log for a stage that prints nothing, and opens it again after a failed open', async () => {
    await store.createRun(runId);
    const file = store.paths.stageLogFile(runId, 'silent', 1);
    const silent = await store.openStageLog(runId, 'silent', 1);
    assert.equal((await fs.stat(file)).size, 0, 'the log exists before anything is written');
    await silent.flush({ sync: true });
    await silent.close();
    assert.equal((await fs.stat(file)).mode & 0o777, 0o600);
    // The file is opened for writing at the first output: if that open fails, the
    // output is reported lost and the next write opens it again.
    const errors: StoreError[] = [];
    const retried = store.paths.stageLogFile(runId, 'retried', 1);
    const log = await store.openStageLog(runId, 'retried', 1, { onError: (e) => errors.push(e) });
    await fs.rm(retried);
    await fs.mkdir(retried);
    log.write('lost\n');
    await assert.rejects(log.flush(), (error: unknown) => (error as StoreError).code === 'EISDIR');
    assert.equal(errors.length, 1);
    await fs.rmdir(retried);
    log.write('kept\n');
    await log.close();
    assert.match(await fs.readFile(retried, 'utf8'), /kept\n$/);
  });

  it('writes a batch of more pieces than one writev takes, empty ones included, in order', async () => {
    await store.createRun(runId);
    const log = await store.openStageLog(runId, 'many', 1, { flushBytes: 1 << 30 });
    const pieces: Buffer[] = [];
    for (let i = 0; i < 3_000; i++) pieces.push(Buffer.from(i % 7 === 0 ? '' : `${i},`));
    for (const piece of pieces) log.write(piece);
    await log.close();
    const text = await fs.readFile(store.paths.stageLogFile(runId, 'many', 1), 'utf8');
    assert.equal(text, Buffer.concat(pieces).toString());
  });

  it('keeps a stage log’s memory bounded, saying how much output it dropped', async () => {
    await store.createRun(runId);
    const log = await store.openStageLog(runId, 'chatty', 1, {
      highWaterMark: 4_096,
      maxBufferedBytes: 16_384,
    });
    const chunk = 'x'.repeat(1_000);
    const accepted: boolean[] = [];
    // All in one tick: nothing can reach the disk before the buffer fills.
    for (let i = 0; i < 100; i++) accepted.push(log.write(chunk));
    assert.equal(accepted[0], true);
    assert.equal(accepted[99], false, 'the caller is told to pause');
    assert.ok(log.droppedBytes > 0);
    await log.drained();
    await log.close();
    const text = await fs.readFile(store.paths.stageLogFile(runId, 'chatty', 1), 'utf8');
    assert.ok(text.length <= 17_000, `buffered at most maxBufferedBytes, wrote ${text.length}`);
    assert.match(text, /\[baton: \d+ bytes of output dropped, the disk did not keep up\]/);
  });

  it('prepares $BATON_STATE, $BATON_OUTPUT and $BATON_SUMMARY owner-only, keeping content', async () => {
    await store.createRun(runId);
    const stateDir = await store.stageStateDir(runId, 'fetch');
    writeFileSync(path.join(stateDir, 'cursor'), '42');
    assert.equal(await store.stageStateDir(runId, 'fetch'), stateDir);
    assert.equal(await fs.readFile(path.join(stateDir, 'cursor'), 'utf8'), '42');
    const output = await store.stageOutputFile(runId, 'fetch', 2);
    assert.equal(output, store.paths.stageOutputFile(runId, 'fetch', 2));
    assert.equal((await fs.stat(output)).mode & 0o777, 0o600);
    await fs.appendFile(output, 'n=1\n');
    await store.stageOutputFile(runId, 'fetch', 2);
    assert.equal(await fs.readFile(output, 'utf8'), 'n=1\n');
    const summary = await store.stageSummaryFile(runId, 'fetch');
    assert.equal((await fs.stat(summary)).size, 0);
  });

  it('passes answers and stop requests through the inbox, in order, each once', async () => {
    await store.createRun(runId);
    const names = await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        store.writeInboxMessage(runId, {
          kind: 'answer',
          promptId: 'go',
          value: `v${i}`,
          by: 'cli',
        }),
      ),
    );
    assert.equal(new Set(names).size, 30, 'unique names');
    await store.writeInboxMessage(runId, { kind: 'stop', by: 'cli', reason: 'user' });
    writeFileSync(
      path.join(store.paths.inboxDir(runId), '0000-bad.json'),
      '{"message": {"kind": "launch"}}',
    );
    const { entries, problems } = await store.readInbox(runId);
    assert.equal(entries.length, 31);
    assert.deepEqual(entries[30]?.message, { kind: 'stop', by: 'cli', reason: 'user' });
    assert.ok(entries.every((e, i) => i === 0 || (entries[i - 1]?.sentAt ?? 0) <= e.sentAt));
    assert.deepEqual(
      problems.map((p) => p.name),
      ['0000-bad.json'],
    );
    assert.match(problems[0]?.problem ?? '', /"by" is not a string|unknown kind/);
    for (const entry of entries) await store.consumeInboxMessage(runId, entry.name);
    await store.consumeInboxMessage(runId, entries[0]?.name ?? '');
    assert.equal((await store.readInbox(runId)).entries.length, 0);
    await assert.rejects(store.consumeInboxMessage(runId, '../run.json'), isCode('EBADID'));
    await assert.rejects(
      store.writeInboxMessage(
        newRunId(T0 + 5, () => 0),
        { kind: 'stop', by: 'cli' },
      ),
      isCode('ENOENT'),
    );
  });

  it('records the run owner and the pipeline lock with the same self-healing lock', async () => {
    await store.createRun(runId);
    const owner = await store.acquireRunOwner(runId);
    assert.ok(owner.acquired);
    const recorded = await store.readRunOwner(runId);
    assert.equal(recorded?.runId, runId);
    assert.ok(recorded !== undefined && isRunOwnerAlive(recorded));
    const lock = await store.acquirePipelineLock('review', runId);
    assert.ok(lock.acquired);
    assert.equal((await store.acquirePipelineLock('review', runId)).acquired, false);
    assert.equal((await store.readPipelineLock('review'))?.runId, runId);
    assert.equal((await store.breakPipelineLock('review')).removed, true);
    assert.equal(await store.readPipelineLock('review'), undefined);
    await owner.lock.release();
    await lock.lock.release();
  });
});
