import * as assert from 'node:assert/strict';
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { startBaton } from '../helpers/batonProcess';
import { processesOfRun, tempDir, waitFor, writePipeline } from '../engine/helpers';

/** Stages forked by the engine, and started by the stage spawner (BATON_SPAWNER=1). */
for (const spawner of ['0', '1']) {
  const how = spawner === '1' ? 'through the stage spawner' : 'stages forked by the engine';
  describe(`baton CLI: the engine dies (${how})`, function () {
    this.timeout(60000);
    let dir: string;

    beforeEach(async () => {
      dir = await tempDir('death');
    });

    afterEach(async () => {
      await fs.rm(dir, { recursive: true, force: true });
    });

    it('ends the running stage, its grandchild and its escapee soon after kill -9 of the engine', async () => {
      // First attempt: a grandchild in the stage's group, one that left it (setsid), then a long sleep.
      await writePipeline(
        dir,
        'orphans',
        `name: orphans
stages:
  work:
    run: 'if [ -e "$BATON_STATE/once" ]; then exit 0; fi; touch "$BATON_STATE/once"; sleep 60 & setsid sleep 61 & sleep 62'
  after: { needs: [work], run: "true" }
`,
      );
      const first = startBaton(dir, ['run', 'orphans.pipeline.yaml', '--yes'], {
        BATON_SPAWNER: spawner,
      });
      await waitFor('the stage to start', () => /run (\S+)/.test(first.output()));
      const runId = /run (\d{8}-\d{6}-\d{3}-[a-z0-9]{4})/.exec(first.output())?.[1] ?? '';
      const marker = path.join(dir, '.baton', 'runs', runId, 'state', 'work', 'once');
      await waitFor(
        'the stage and its children',
        () => existsSync(marker) && processesOfRun(runId).length >= 4,
      );
      first.child.kill('SIGKILL');
      await first.done;
      await waitFor(
        'every process of the stage to end',
        () => processesOfRun(runId).length === 0,
        10000,
      );
      const resumed = startBaton(dir, ['resume', runId, '--yes'], { BATON_SPAWNER: spawner });
      assert.equal(await resumed.done, 0, resumed.output());
      assert.deepEqual(processesOfRun(runId), []);
    });
  });
}
