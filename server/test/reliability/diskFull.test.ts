import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { RunState } from '@baton/core';
import { baton, describeResult, runIdIn } from './harness/cli';
import { useSmallDiskWorkspace, writeFillingPipeline } from './harness/smallDisk';
import { jsonProblems } from './harness/stateFiles';

describe('reliability: the state directory runs out of space', function () {
  this.timeout(60_000);
  const disk = useSmallDiskWorkspace('256k');

  it('says so, leaves no half-written file, and resume finishes the run once space is back', async () => {
    const { workspace, stateDir } = disk;
    const side = path.join(workspace, 'executions.txt');
    const filler = await writeFillingPipeline(workspace, stateDir, side, 30);
    const first = await baton(workspace, [
      'run',
      'full.pipeline.yaml',
      '--yes',
      '--state-dir',
      stateDir,
    ]);
    assert.match(first.stderr + first.stdout, /no space left on device/, describeResult(first));
    assert.notEqual(first.code, 0, describeResult(first));
    const runId = runIdIn(first.stdout);
    assert.ok(runId, describeResult(first));
    assert.deepEqual(await jsonProblems(stateDir), [], 'every JSON file and event line is whole');

    await fs.rm(filler);
    const resumed = await baton(workspace, ['resume', runId, '--yes', '--state-dir', stateDir]);
    assert.equal(resumed.code, 0, describeResult(resumed));
    const shown = await baton(workspace, ['status', runId, '--json', '--state-dir', stateDir]);
    const state = JSON.parse(shown.stdout) as { status: string };
    assert.equal(state.status, 'succeeded');
    const runJson = JSON.parse(
      await fs.readFile(path.join(stateDir, 'runs', runId, 'run.json'), 'utf8'),
    ) as RunState;
    assert.ok(Object.values(runJson.stages).every((stage) => stage.status === 'succeeded'));
    assert.deepEqual(await jsonProblems(stateDir), []);
    // The stages before the disk filled up were recorded and never ran again.
    const executions = (await fs.readFile(side, 'utf8')).trim().split('\n');
    assert.deepEqual(
      executions.filter((line) => line.startsWith('first ') || line.startsWith('fill ')),
      ['first 1', 'fill 1'],
    );
  });
});
