import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BatonApi, RunView, TreeNode } from './batonHelpers';
import {
  activateBaton,
  copyFixturePipelines,
  runPipeline,
  until,
  waitForLockReleased,
  waitForPipelines,
  waitForQuickInput,
  waitForRun,
  workspaceDir,
} from './batonHelpers';

/**
 * Incremental runs in the editor: up-to-date stages in the tree, the plan
 * preview before a run that skips something, and Run This Stage, Run From
 * Here and Force Run from stage rows and from CodeLenses of the pipeline file.
 */
describe('Incremental runs in the editor', function () {
  this.timeout(90_000);
  let api: BatonApi;

  before(async () => {
    copyFixturePipelines(['make'], 'pipelines-cockpit');
    fs.writeFileSync(path.join(workspaceDir(), 'make-input.txt'), 'first\n');
    api = await activateBaton();
    await waitForPipelines(api, ['make']);
  });

  /** Runs a command that starts a run and returns the new run; `answer` handles a plan preview. */
  async function startWith(
    command: string,
    argument: unknown,
    answer?: () => Promise<void>,
  ): Promise<RunView> {
    await waitForLockReleased('make');
    const before = new Set(api.store.runsOf('make').map((run) => run.summary.runId));
    const shown = api.quickInputsShown();
    const running = vscode.commands.executeCommand(command, argument);
    if (answer) {
      await waitForQuickInput(api);
      await answer();
    }
    await running;
    if (!answer) assert.equal(api.quickInputsShown(), shown, 'no plan preview was shown');
    const run = await until(
      () => api.store.runsOf('make').find((r) => !before.has(r.summary.runId)),
      'a new run of make',
    );
    return waitForRun(api, run.summary.runId, 'succeeded');
  }

  async function accept(): Promise<void> {
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
  }

  function stageRow(run: RunView, stageId: string): ReturnType<BatonApi['tree']['describe']> {
    const node: TreeNode = { kind: 'stage', runId: run.summary.runId, stageId };
    return api.tree.describe(node, Date.now());
  }

  it('runs every stage the first time without a preview, then shows them up to date', async () => {
    const first = await runPipeline(api, 'make');
    await waitForRun(api, first.summary.runId, 'succeeded');
    assert.equal(stageRow(first, 'build')?.icon.id, 'pass-filled');
    // Everything would be skipped now: Run previews the plan; accepting its first row runs it.
    const second = await startWith(
      'baton.runPipeline',
      { kind: 'pipeline', pipelineId: 'make' },
      accept,
    );
    for (const stageId of ['source', 'build']) {
      const row = stageRow(second, stageId);
      assert.match(row?.description ?? '', /^up to date/, `${stageId}: ${row?.description}`);
      assert.equal(row?.icon.id, 'check-all');
      assert.match(row?.tooltip ?? '', /· up to date/);
      assert.match(row?.tooltip ?? '', /Plan: up to date/);
    }
  });

  it('puts Run This Stage, Run From Here and Force Run above each stage of the pipeline file', async () => {
    const document = await vscode.workspace.openTextDocument(
      path.join(workspaceDir(), 'make.pipeline.yaml'),
    );
    // The provider answers from the server's pipeline list, which is loaded by now.
    const lenses = await vscode.commands.executeCommand<vscode.CodeLens[]>(
      'vscode.executeCodeLensProvider',
      document.uri,
    );
    const titles = lenses.map((lens) => `${lens.range.start.line} ${lens.command?.title}`);
    assert.ok(titles.includes('3 $(play) Run This Stage'), titles.join(', '));
    assert.ok(titles.includes('7 Run From Here'), titles.join(', '));
    assert.ok(titles.includes('7 Force Run'), titles.join(', '));
  });

  it('Run This Stage from a CodeLens previews the plan and skips what is up to date', async () => {
    const lensArgument = { kind: 'plannedStage', pipelineId: 'make', stageId: 'build' };
    const planned = api.requestsSent('baton/planRun');
    const run = await startWith('baton.runStage', lensArgument, accept);
    assert.equal(api.requestsSent('baton/planRun'), planned + 1);
    assert.match(stageRow(run, 'build')?.description ?? '', /^up to date/);
  });

  it('Force Run on a stage row runs that stage again and keeps what it needs up to date', async () => {
    const latest = api.store.runsOf('make')[0]!;
    const row = { kind: 'stage', runId: latest.summary.runId, stageId: 'build' };
    const run = await startWith('baton.forceRun', row, accept);
    assert.match(stageRow(run, 'source')?.description ?? '', /^up to date/);
    assert.equal(stageRow(run, 'build')?.icon.id, 'pass-filled');
    assert.equal(run.stages.find((s) => s.id === 'build')?.upToDate, undefined);
  });

  it('Run From Here runs the stage and everything after it, with no preview when nothing is skipped', async () => {
    const row = { kind: 'plannedStage', pipelineId: 'make', stageId: 'source' };
    const run = await startWith('baton.runFromStage', row);
    for (const stage of run.stages) assert.equal(stage.upToDate, undefined, stage.id);
  });

  it('the preview can run everything again instead', async () => {
    const run = await startWith(
      'baton.runPipeline',
      { kind: 'pipeline', pipelineId: 'make' },
      async () => {
        await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
        await accept();
      },
    );
    for (const stage of run.stages) assert.equal(stage.upToDate, undefined, stage.id);
  });
});
