import * as assert from 'node:assert/strict';
import { ServerMirror } from '../src/model/serverMirror';
import { event, prompt, runChange, snapshot, stageStatus, summary } from './builders';

describe('ServerMirror', () => {
  it('applies a snapshot and then newer stage changes from didChangeRun', () => {
    const store = new ServerMirror();
    store.setSnapshot(snapshot({ seq: 10 }));
    store.applyRunChange(runChange([event(11, stageStatus('test', 'succeeded'))]));
    const run = store.run('r1');
    assert.deepEqual(
      run?.stages.map((s) => [s.id, s.status]),
      [
        ['compile', 'succeeded'],
        ['test', 'succeeded'],
      ],
    );
    assert.equal(store.lastSeq, 11);
  });

  it('ignores a notification the snapshot already reflects', () => {
    const store = new ServerMirror();
    store.setSnapshot(snapshot({ seq: 10 }));
    store.applyRunChange(
      runChange([
        event(8, stageStatus('test', 'pending', 0)),
        event(9, { kind: 'runStatusChanged', status: 'queued' }),
      ]),
    );
    assert.equal(store.run('r1')?.summary.status, 'running');
    assert.equal(store.run('r1')?.stages[1]?.status, 'running');
  });

  it('applies every event of one didChangeRun (one per changed stage)', () => {
    const store = new ServerMirror();
    store.setSnapshot(snapshot({ seq: 7 }));
    store.applyRunChange(
      runChange([
        event(8, stageStatus('compile', 'succeeded')),
        event(9, stageStatus('test', 'succeeded')),
      ]),
    );
    assert.deepEqual(
      store.run('r1')?.stages.map((s) => s.status),
      ['succeeded', 'succeeded'],
    );
  });

  it('asks for a snapshot when a run it has never seen changes', () => {
    const store = new ServerMirror();
    const wanted: string[] = [];
    store.onDidNeedSnapshot((runId) => wanted.push(runId));
    store.applyRunChange(runChange([event(3, stageStatus('a', 'running'), 'r9')]));
    assert.deepEqual(wanted, ['r9']);
    const created = {
      kind: 'runCreated',
      pipeline: 'b',
      pipelineName: 'B',
      file: '/ws/b',
      local: true,
    } as const;
    store.applyRunChange(
      runChange([event(4, created, 'r8'), event(5, stageStatus('a', 'running'), 'r8')]),
    );
    assert.deepEqual(wanted, ['r9', 'r8', 'r8']);
    assert.equal(store.run('r8')?.detailed, false);
    assert.equal(store.run('r8')?.summary.local, true);
  });

  it('opens and closes prompts and keeps the summary count in step', () => {
    const store = new ServerMirror();
    store.setSnapshot(snapshot({ seq: 1 }));
    store.openPrompt({ ...prompt(), seq: 2 });
    assert.equal(store.openPrompts().length, 1);
    assert.equal(store.run('r1')?.summary.openPrompts, 1);
    store.closePrompt({ seq: 3, runId: 'r1', promptId: 'p1', by: 'cli', answer: true });
    assert.equal(store.openPrompts().length, 0);
    assert.equal(store.run('r1')?.summary.openPrompts, 0);
  });

  it('keeps a prompt a snapshot taken while it opened does not list', () => {
    const store = new ServerMirror();
    store.setSnapshot(snapshot({ seq: 20, prompts: [] }));
    store.openPrompt({ ...prompt(), seq: 19 });
    assert.equal(store.openPrompts().length, 1);
    store.setSnapshot(snapshot({ seq: 21, prompts: [] }));
    assert.equal(store.openPrompts().length, 0, 'a later snapshot without it wins');
  });

  it('keeps a prompt that opened before its run was known', () => {
    const store = new ServerMirror();
    store.openPrompt({ ...prompt(), seq: 3 });
    const created = {
      kind: 'runCreated',
      pipeline: 'b',
      pipelineName: 'B',
      file: '/ws/b',
      local: true,
    } as const;
    store.applyRunChange(runChange([event(4, created)]));
    assert.deepEqual(
      store.openPrompts().map((p) => p.promptId),
      ['p1'],
    );
  });

  it('lets a prompt id open again after it closed, but never lets an old close hide a new open', () => {
    const store = new ServerMirror();
    store.setSnapshot(snapshot({ seq: 1 }));
    store.openPrompt({ ...prompt(), seq: 2 });
    store.closePrompt({ seq: 3, runId: 'r1', promptId: 'p1', by: 'rpc' });
    store.openPrompt({ ...prompt({ attempt: 2 }), seq: 5 });
    store.closePrompt({ seq: 3, runId: 'r1', promptId: 'p1', by: 'rpc' });
    assert.equal(store.openPrompts()[0]?.attempt, 2);
  });

  it('replays feed events into the projection, idempotently', () => {
    const store = new ServerMirror();
    store.setSnapshot(snapshot({ seq: 10 }));
    const events = [
      event(11, { kind: 'stageProgress', stage: 'test', attempt: 1, progress: { percent: 40 } }),
      event(12, stageStatus('test', 'failed', 1, { exitCode: 2 })),
      event(13, { kind: 'runStatusChanged', status: 'failed', reason: 'test failed' }),
    ];
    for (const e of events) store.applyFeedEvent(e);
    for (const e of events) store.applyFeedEvent(e);
    const run = store.run('r1');
    assert.equal(run?.summary.status, 'failed');
    assert.equal(run?.summary.reason, 'test failed');
    assert.equal(run?.summary.endedAt, 1013);
    const test = run?.stages.find((s) => s.id === 'test');
    assert.equal(test?.status, 'failed');
    assert.equal(test?.exitCode, 2);
    assert.equal(test?.endedAt, 1012);
    assert.deepEqual(run?.summary.stageCounts, { succeeded: 1, failed: 1 });
  });

  it('creates a run from runCreated and lists runs newest first per pipeline', () => {
    const store = new ServerMirror();
    store.addSummaries([
      summary({ runId: 'old', createdAt: 1 }),
      summary({ runId: 'other', pipeline: 'etl', createdAt: 3 }),
    ]);
    store.applyFeedEvent(
      event(
        5,
        {
          kind: 'runCreated',
          pipeline: 'build',
          pipelineName: 'Build',
          file: '/ws/b',
          local: false,
        },
        'new',
      ),
    );
    assert.deepEqual(
      store.runsOf('build').map((r) => r.summary.runId),
      ['new', 'old'],
    );
    assert.equal(store.run('new')?.summary.status, 'queued');
  });

  it('keeps annotations and moves lastSeq forward only', () => {
    const store = new ServerMirror();
    store.setSnapshot(snapshot({ seq: 1 }));
    store.annotate({
      seq: 4,
      runId: 'r1',
      stage: 'test',
      attempt: 1,
      annotation: {
        severity: 'error',
        message: 'boom',
        path: '/ws/a.ts',
        range: { line: 3, column: 1 },
      },
    });
    store.advanceSeq(2);
    assert.equal(store.lastSeq, 4);
    assert.equal(store.run('r1')?.annotations.length, 1);
  });

  it('tells listeners about every change', () => {
    const store = new ServerMirror();
    const changes: string[] = [];
    store.onDidChange((c) => changes.push(c.kind === 'run' ? `run:${c.runId}` : c.kind));
    store.setPipelines([]);
    store.setSnapshot(snapshot());
    assert.deepEqual(changes, ['pipelines', 'run:r1']);
  });
});
