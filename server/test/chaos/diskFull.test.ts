import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { LoggedEvent } from '@baton/core';
import { baton, describeResult, runIdIn } from '../reliability/harness/cli';
import { useSmallDiskWorkspace, writeFillingPipeline } from '../reliability/harness/smallDisk';
import { readJsonLines } from '../reliability/harness/stateFiles';
import { describeChaos } from './chaosReport';

/**
 * What a run should do when its state can no longer be recorded: start no
 * stage it cannot record, stop, and exit non-zero (docs/reliability.md, fixed
 * bug 3: the engine used to keep starting stages and exit 0).
 */
describeChaos('chaos: disk full while a run records its events', function () {
  this.timeout(120_000);
  const disk = useSmallDiskWorkspace('256k');

  it('stops the run as soon as it cannot record it: no stage runs unrecorded, exit code not 0', async () => {
    const { workspace, stateDir } = disk;
    const side = path.join(workspace, 'executions.txt');
    await writeFillingPipeline(workspace, stateDir, side, 30);
    const first = await baton(workspace, [
      'run',
      'full.pipeline.yaml',
      '--yes',
      '--state-dir',
      stateDir,
    ]);
    const runId = runIdIn(first.stdout);
    assert.ok(runId, describeResult(first));
    const events = await readJsonLines<LoggedEvent>(
      path.join(stateDir, 'runs', runId, 'events.jsonl'),
    );
    const recorded = new Set(
      events.flatMap((e) => (e.type === 'stageStarted' ? [`${e.stage} ${e.attempt}`] : [])),
    );
    const executions = (await fs.readFile(side, 'utf8')).trim().split('\n');
    assert.deepEqual(
      executions.filter((execution) => !recorded.has(execution)),
      [],
      'stage attempts that ran without their start in the event log',
    );
    assert.notEqual(first.code, 0, describeResult(first));
  });
});
