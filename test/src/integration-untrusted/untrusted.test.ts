import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BatonApi } from '../integration/batonHelpers';
import { activateBaton, until, waitForPipelines, workspaceDir } from '../integration/batonHelpers';

/** How long a run would have to appear; a started run shows in the store well within this. */
const NOTHING_RUNS_WITHIN_MS = 3_000;

/** A pipeline whose only stage creates `marker`, so any spawn of it is visible. */
function markerPipeline(marker: string): string {
  return `name: Marker\nstages:\n  touch:\n    run: touch ${JSON.stringify(marker)}\n`;
}

/** Resolves true if `probe` holds before `ms` elapse, false otherwise. */
async function becomesTrueWithin(probe: () => boolean, ms: number): Promise<boolean> {
  try {
    await until(() => probe() || undefined, 'a forbidden effect', ms);
    return true;
  } catch {
    return false;
  }
}

describe('Baton in an untrusted workspace', function () {
  this.timeout(60_000);
  let api: BatonApi;
  let marker: string;

  before(async () => {
    marker = path.join(workspaceDir(), 'stage-ran.marker');
    fs.writeFileSync(path.join(workspaceDir(), 'marker.pipeline.yaml'), markerPipeline(marker));
    // In an untrusted workspace the server still starts, read-only.
    api = await activateBaton();
    await waitForPipelines(api, ['marker']);
  });

  it('opens the workspace untrusted', () => {
    assert.equal(vscode.workspace.isTrusted, false);
  });

  it('runs nothing when Run Pipeline is executed: no run, no run directory, no stage process', async () => {
    const runsDir = path.join(workspaceDir(), '.baton', 'runs');
    const runDirs = (): string[] => (fs.existsSync(runsDir) ? fs.readdirSync(runsDir) : []);
    await vscode.commands.executeCommand('baton.runPipeline', {
      kind: 'pipeline',
      pipelineId: 'marker',
    });
    const somethingRan = await becomesTrueWithin(
      () => api.store.runsOf('marker').length > 0 || runDirs().length > 0 || fs.existsSync(marker),
      NOTHING_RUNS_WITHIN_MS,
    );
    assert.equal(somethingRan, false, 'something ran within the deadline');
    // The extension refuses by itself: a refusal by the server alone would have needed the request.
    assert.equal(api.requestsSent('baton/startRun'), 0, 'no baton/startRun sent to the server');
    assert.deepEqual(api.store.runsOf('marker'), [], 'no run in the store');
    assert.deepEqual(runDirs(), [], 'no entry in .baton/runs');
    assert.equal(fs.existsSync(marker), false, 'the stage never ran');
  });
});
