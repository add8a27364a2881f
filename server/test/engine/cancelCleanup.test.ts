import * as assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { useEngineFixture, waitFor, writePipeline } from './helpers';

describe('engine: cleanup stages of a stopped run', function () {
  this.timeout(30000);
  const fixture = useEngineFixture('cancel-cleanup');

  it('runs an if: cancelled() stage after Stop kills the running stage', async () => {
    const { dir } = fixture;
    const engine = fixture.newEngine();
    const file = await writePipeline(
      dir,
      'p',
      [
        'stages:',
        '  long: { run: "touch started; while true; do sleep 0.05; done" }',
        '  next: { needs: [long], run: "touch next" }',
        '  tidy: { needs: [long], if: cancelled(), run: "touch tidied" }',
        '',
      ].join('\n'),
    );
    const handle = await engine.startRun({ file, interactive: false });
    await waitFor('the long stage to start', () => existsSync(path.join(dir, 'started')));
    await engine.stopRun(handle.runId, 'test');
    assert.equal(await handle.finished, 'cancelled');
    assert.ok(existsSync(path.join(dir, 'tidied')));
    assert.ok(!existsSync(path.join(dir, 'next')));
    const state = await engine.getRunState(handle.runId);
    assert.equal(state.stages.tidy?.status, 'succeeded');
    assert.equal(state.stages.next?.status, 'cancelled');
  });
});
