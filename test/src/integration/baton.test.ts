import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BatonApi } from './batonHelpers';
import {
  activateBaton,
  copyFixturePipelines,
  runCli,
  runPipeline,
  serverPids,
  until,
  waitForLockReleased,
  waitForLog,
  waitForQuickInput,
  waitForRun,
  waitForPipelines,
  waitForStage,
  workspaceDir,
} from './batonHelpers';

describe('Baton extension', function () {
  this.timeout(90_000);
  let api: BatonApi;

  before(async () => {
    const pipelines = ['hello', 'ask', 'slow', 'flaky', 'broken'];
    copyFixturePipelines(pipelines);
    api = await activateBaton();
    await waitForPipelines(api, pipelines);
  });

  it('starts its server on activation and lists the workspace pipelines, invalid ones with their problem', () => {
    assert.equal(
      serverPids().length,
      1,
      'exactly one server process is a child of the extension host',
    );
    const roots = api.tree.children();
    const labels = roots.map((node) => api.tree.describe(node, Date.now())?.label);
    assert.ok(labels.includes('Hello'), `the tree shows Hello: ${labels.join(', ')}`);
    const broken = api.tree.describe({ kind: 'pipeline', pipelineId: 'broken' }, Date.now());
    assert.equal(broken?.icon.id, 'warning');
    assert.equal(broken?.contextValue, 'pipeline.invalid');
    assert.match(broken?.description ?? '', /^\d+:\d+ /, 'the first problem with its position');
  });

  it('opens an invalid pipeline file at its first problem when its row is clicked', async () => {
    const row = api.tree.describe({ kind: 'pipeline', pipelineId: 'broken' }, Date.now());
    assert.ok(row?.command, 'the invalid row has a click command');
    await vscode.commands.executeCommand(row.command.command, ...row.command.arguments);
    const problem = api.store.pipelines.find((p) => p.id === 'broken')?.diagnostics[0];
    assert.ok(problem);
    const editor = await until(
      () =>
        vscode.window.activeTextEditor?.document.fileName.endsWith('broken.pipeline.yaml')
          ? vscode.window.activeTextEditor
          : undefined,
      'broken.pipeline.yaml to open',
    );
    assert.equal(editor.selection.active.line, problem.line - 1);
    assert.equal(editor.selection.active.character, problem.column - 1);
    // The language server publishes it; once, though the file is both open and on disk.
    const shown = await until(() => {
      const messages = vscode.languages.getDiagnostics(editor.document.uri).map((d) => d.message);
      return messages.includes(problem.message) ? messages : undefined;
    }, `the Problems panel to list "${problem.message}"`);
    assert.equal(shown.filter((message) => message === problem.message).length, 1);
  });

  it('runs a pipeline: the tree fills with green stages and the output channel streams every stage', async () => {
    const startsBefore = api.requestsSent('baton/startRun');
    const { summary } = await runPipeline(api, 'hello');
    assert.equal(api.requestsSent('baton/startRun'), startsBefore + 1, 'one baton/startRun sent');
    const run = await waitForRun(api, summary.runId, 'succeeded');
    const stageNodes = api.tree.children({ kind: 'run', runId: summary.runId });
    const drawn = stageNodes.map((node) => api.tree.describe(node, Date.now()));
    assert.deepEqual(
      drawn.map((view) => [view?.label, view?.icon.id]),
      [
        ['greet', 'pass-filled'],
        ['count', 'pass-filled'],
      ],
    );
    assert.deepEqual(
      run.stages.map((s) => s.status),
      ['succeeded', 'succeeded'],
    );
    assert.ok(api.logChannelNames().includes(`Baton: Hello #${summary.runId}`));
    const log = await waitForLog(api, summary.runId, '[count] line 3');
    assert.match(log, /^\[greet\] hello from baton$/m);
  });

  it('answers a stage prompt through the QuickPick with the keys a user presses', async () => {
    const { summary } = await runPipeline(api, 'ask');
    const prompt = await until(
      () => api.store.run(summary.runId)?.prompts[0],
      'the stage to ask its question',
    );
    assert.equal(prompt.message, 'Pick a colour');
    const answering = vscode.commands.executeCommand(
      'baton.answerPrompt',
      summary.runId,
      prompt.promptId,
    );
    await waitForQuickInput(api);
    // The default (green) is the active row: one step down is blue.
    await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await answering;
    await waitForRun(api, summary.runId, 'succeeded');
    assert.deepEqual(api.store.run(summary.runId)?.prompts, []);
    await waitForLog(api, summary.runId, '[choose] picked blue');
  });

  it('closes the QuickPick of a prompt answered elsewhere (the CLI)', async () => {
    const { summary } = await runPipeline(api, 'ask');
    const prompt = await until(() => api.store.run(summary.runId)?.prompts[0], 'the stage to ask');
    const answering = vscode.commands.executeCommand(
      'baton.answerPrompt',
      summary.runId,
      prompt.promptId,
    );
    await waitForQuickInput(api);
    const stateDir = path.join(workspaceDir(), '.baton');
    await runCli(['answer', summary.runId, prompt.promptId, 'red', '--state-dir', stateDir]);
    await until(() => !api.isQuickInputOpen() || undefined, 'the QuickPick to close by itself');
    await answering;
    await waitForRun(api, summary.runId, 'succeeded');
    await waitForLog(api, summary.runId, '[choose] picked red');
  });

  it('stops a run, then resumes it after showing the plan', async () => {
    const { summary } = await runPipeline(api, 'slow');
    const runId = summary.runId;
    await waitForStage(api, runId, 'wait', 'running');
    await waitForLog(api, runId, '[wait] waiting');
    await vscode.commands.executeCommand('baton.stopRun', { kind: 'run', runId });
    await waitForRun(api, runId, 'cancelled');
    assert.equal(
      api.tree.describe({ kind: 'run', runId }, Date.now())?.contextValue,
      'run.resumable',
    );

    await waitForLockReleased('slow');
    const resuming = vscode.commands.executeCommand('baton.resumeRun', { kind: 'run', runId });
    await waitForQuickInput(api);
    // The first row is "Resume"; Enter accepts it.
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await resuming;
    await waitForStage(api, runId, 'wait', 'running');
    // The second attempt prints before it is stopped, so the stop meets a started process.
    await waitForLog(api, runId, '[wait] ── attempt 2 ──\n[wait] waiting');
    await vscode.commands.executeCommand('baton.stopRun', { kind: 'run', runId });
    await waitForRun(api, runId, 'cancelled');
  });

  it('retries a failed stage and shows its annotation in the Problems panel', async () => {
    // Left over when the suite last ran on the fixture folder itself (launch.json).
    const flakyOk = path.join(workspaceDir(), 'flaky.ok');
    fs.rmSync(flakyOk, { force: true });
    const { summary } = await runPipeline(api, 'flaky');
    const runId = summary.runId;
    await waitForRun(api, runId, 'failed');
    const flakyFile = vscode.Uri.file(path.join(workspaceDir(), 'flaky.pipeline.yaml'));
    const problem = await until(
      () =>
        vscode.languages
          .getDiagnostics(flakyFile)
          .find((d) => d.message.includes('flaky.ok is missing')),
      'the ::error annotation in the Problems panel',
    );
    assert.equal(problem.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(problem.range.start.line, 7);
    const stageNode = { kind: 'stage', runId, stageId: 'flaky' } as const;
    assert.equal(api.tree.describe(stageNode, Date.now())?.contextValue, 'stage.retryable');

    fs.writeFileSync(flakyOk, 'ok\n');
    await waitForLockReleased('flaky');
    await vscode.commands.executeCommand('baton.retryStage', stageNode);
    await waitForRun(api, runId, 'succeeded');
    await waitForLog(api, runId, '[flaky] recovered');
    fs.rmSync(flakyOk, { force: true });
  });

  it('restarts a crashed server and catches up with what it missed', async () => {
    const [pid] = serverPids();
    assert.ok(pid, 'the server runs');
    const before = api.store.runsOf('hello').length;
    process.kill(pid, 'SIGKILL');
    await until(
      () => api.serverState() !== 'running' || undefined,
      'the extension to notice the crash',
    );
    await until(() => api.serverState() === 'running', 'the server to be restarted');
    const [newPid] = await until(() => {
      const pids = serverPids();
      return pids.length === 1 && pids[0] !== pid ? pids : undefined;
    }, 'a new server process');
    assert.notEqual(newPid, pid);
    await until(
      () => api.store.runsOf('hello').length >= before,
      'the earlier runs to be shown again',
    );
    const { summary } = await runPipeline(api, 'hello');
    await waitForRun(api, summary.runId, 'succeeded');
  });

  it('restarts the server on request', async () => {
    const [pid] = serverPids();
    await vscode.commands.executeCommand('baton.restartServer');
    await until(() => api.serverState() === 'running', 'the server to run again');
    const [newPid] = await until(() => {
      const pids = serverPids();
      return pids.length === 1 && pids[0] !== pid ? pids : undefined;
    }, 'a fresh server process');
    assert.ok(newPid);
  });
});
