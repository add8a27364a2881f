import * as assert from 'node:assert/strict';
import * as path from 'node:path';
import { RunStore } from '../../src/store/runStore';
import { useEngineFixture, writePipeline } from './helpers';

describe('engine: the state of a run that ended here', function () {
  this.timeout(30000);
  const fixture = useEngineFixture('loaded-states');

  it('is answered without reading its files again, until another process changes them', async () => {
    const { dir } = fixture;
    const engine = fixture.newEngine();
    const file = await writePipeline(dir, 'p', 'stages:\n  a: { run: "true" }\n');
    const handle = await engine.startRun({ file, interactive: false });
    assert.equal(await handle.finished, 'succeeded');
    const first = await engine.getRunState(handle.runId);
    assert.equal(first.stages.a?.status, 'succeeded');
    assert.equal(await engine.getRunState(handle.runId), first, 'the same state, not read again');

    // Another process (a `baton` CLI, say) rewrites the run's checkpoint.
    const store = new RunStore(path.join(dir, '.baton'));
    await store.writeCheckpoint(handle.runId, { ...first, reason: 'changed elsewhere' });
    const after = await engine.getRunState(handle.runId);
    assert.equal(after.reason, 'changed elsewhere');
    assert.equal(after.stages.a?.status, 'succeeded');
  });
});
