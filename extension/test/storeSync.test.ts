import * as assert from 'node:assert/strict';
import type { BatonEvent, GetEventsParams, GetEventsResult, RunSnapshot } from '@baton/protocol';
import { ServerMirror } from '../src/model/serverMirror';
import type { SyncRequests } from '../src/model/storeSync';
import { StoreSync } from '../src/model/storeSync';
import { event, pipeline, runChange, snapshot, stage, stageStatus, summary } from './builders';

/** A scripted server: a fixed event feed and snapshots, answering like the real one. */
class FakeServer implements SyncRequests {
  events: BatonEvent[] = [];
  snapshots = new Map<string, RunSnapshot>();
  firstSeq = 1;
  readonly calls: string[] = [];
  onGetRun: (() => void) | undefined;

  listPipelines() {
    this.calls.push('listPipelines');
    return Promise.resolve({ pipelines: [pipeline()] });
  }
  listRuns() {
    this.calls.push('listRuns');
    return Promise.resolve({
      runs: [...this.snapshots.values()].map((s) => summary({ runId: s.runId, status: s.status })),
    });
  }
  getRun(runId: string) {
    this.calls.push(`getRun:${runId}`);
    this.onGetRun?.();
    const found = this.snapshots.get(runId);
    return found ? Promise.resolve(found) : Promise.reject(new Error(`no run ${runId}`));
  }
  getEvents(params: GetEventsParams): Promise<GetEventsResult> {
    this.calls.push(`getEvents:${params.afterSeq}`);
    const after = this.events.filter((e) => e.seq > params.afterSeq);
    const limit = params.limit ?? 1000;
    return Promise.resolve({
      events: after.slice(0, limit),
      lastSeq: this.events.at(-1)?.seq ?? 0,
      hasMore: after.length > limit,
      firstSeq: this.firstSeq,
    });
  }
}

function setup(): { store: ServerMirror; server: FakeServer; sync: StoreSync; errors: string[] } {
  const store = new ServerMirror();
  const server = new FakeServer();
  const errors: string[] = [];
  const sync = new StoreSync(store, server, (what) => errors.push(what));
  return { store, server, sync, errors };
}

describe('StoreSync', () => {
  it('loads pipelines, runs and snapshots on the first connection', async () => {
    const { store, server, sync } = setup();
    server.events = [event(1, { kind: 'runStatusChanged', status: 'running' })];
    server.snapshots.set('r1', snapshot({ seq: 1 }));
    await sync.resync();
    assert.equal(store.pipelines.length, 1);
    assert.equal(store.run('r1')?.detailed, true);
    assert.equal(store.lastSeq, 1);
  });

  it('replays only what it missed after a reconnect', async () => {
    const { store, server, sync } = setup();
    server.snapshots.set('r1', snapshot({ seq: 2 }));
    server.events = [
      event(1, { kind: 'runStatusChanged', status: 'running' }),
      event(2, { kind: 'stageProgress', stage: 'test', attempt: 1, progress: { percent: 5 } }),
    ];
    await sync.resync();
    server.events.push(event(3, stageStatus('test', 'succeeded')));
    server.events.push(event(4, { kind: 'runStatusChanged', status: 'succeeded' }));
    server.calls.length = 0;
    await sync.resync();
    assert.deepEqual(server.calls, ['listPipelines', 'getEvents:2']);
    assert.equal(store.run('r1')?.summary.status, 'succeeded');
    assert.equal(store.lastSeq, 4);
  });

  it('reloads everything when the feed no longer reaches back far enough', async () => {
    const { store, server, sync } = setup();
    server.snapshots.set('r1', snapshot({ seq: 2 }));
    server.events = [event(2, { kind: 'runStatusChanged', status: 'running' })];
    await sync.resync();
    server.events = [event(50, { kind: 'runStatusChanged', status: 'failed' })];
    server.firstSeq = 40;
    server.snapshots.set('r1', snapshot({ seq: 50, status: 'failed' }));
    await sync.resync();
    assert.ok(server.calls.includes('listRuns'));
    assert.equal(store.run('r1')?.summary.status, 'failed');
  });

  it('pages through a long replay', async () => {
    const { store, server, sync } = setup();
    server.snapshots.set(
      'r1',
      snapshot({ seq: 0, stages: [stage('test', { status: 'running', attempt: 1 })] }),
    );
    server.events = [event(1, { kind: 'runStatusChanged', status: 'running' })];
    await sync.resync();
    for (let seq = 2; seq <= 2500; seq++) {
      server.events.push(
        event(seq, {
          kind: 'stageProgress',
          stage: 'test',
          attempt: 1,
          progress: { percent: seq / 25 },
        }),
      );
    }
    await sync.resync();
    assert.equal(store.lastSeq, 2500);
    assert.equal(store.run('r1')?.stages[0]?.progress?.percent, 100);
  });

  it('queues live notifications while a snapshot loads and applies the newer ones after it', async () => {
    const { store, server, sync } = setup();
    server.snapshots.set('r1', snapshot({ seq: 10 }));
    server.onGetRun = () => {
      // Arrive while the request is in flight: one older than the snapshot, one newer.
      sync.didChangeRun(runChange([event(9, { kind: 'runStatusChanged', status: 'queued' })]));
      sync.didChangeRun(runChange([event(11, { kind: 'runStatusChanged', status: 'succeeded' })]));
    };
    await sync.fetchSnapshot('r1');
    assert.equal(store.run('r1')?.summary.status, 'succeeded');
  });

  it('reports a snapshot that cannot be loaded', async () => {
    const { sync, errors } = setup();
    await sync.fetchSnapshot('missing');
    assert.deepEqual(errors, ['Could not load run missing']);
  });

  it('fetches a snapshot again when it was taken before events the store already applied', async () => {
    const { store, server, sync } = setup();
    store.addSummaries([summary({ runId: 'r1', status: 'running' })]);
    // The run is known only in part when its stage ends; the snapshot on its way is older.
    store.applyFeedEvent(event(11, stageStatus('test', 'succeeded')));
    server.snapshots.set('r1', snapshot({ seq: 10 }));
    server.onGetRun = () => {
      server.onGetRun = undefined;
      // The second fetch finds the server past that event.
      queueMicrotask(() =>
        server.snapshots.set(
          'r1',
          snapshot({
            seq: 11,
            stages: [
              stage('compile', { status: 'succeeded', attempt: 1 }),
              stage('test', { status: 'succeeded', attempt: 1 }),
            ],
          }),
        ),
      );
    };
    await sync.fetchSnapshot('r1');
    assert.deepEqual(server.calls, ['getRun:r1', 'getRun:r1']);
    assert.equal(store.run('r1')?.detailed, true);
    assert.equal(store.run('r1')?.stages.find((s) => s.id === 'test')?.status, 'succeeded');
  });
});
