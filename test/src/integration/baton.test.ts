import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
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
    assert.equal(broken?.icon.id, 'error');
    assert.equal(broken?.contextValue, 'pipeline.invalid');
    assert.match(
      broken?.description ?? '',
      /^\d+ problems? · \d+:\d+ /,
      'the problem count, then the first problem with its position',
    );
  });

  it('shows the stages of a pipeline that never ran, from its file', () => {
    const hello = { kind: 'pipeline', pipelineId: 'hello' } as const;
    assert.equal(api.store.runsOf('hello').length, 0, 'hello has not run yet');
    assert.match(api.tree.describe(hello, Date.now())?.description ?? '', /never ran/);
    const stages = api.tree.children(hello).map((node) => api.tree.describe(node, Date.now()));
    assert.deepEqual(
      stages.map((view) => [view?.label, view?.description]),
      [
        ['greet', 'not run yet'],
        ['count', 'needs greet'],
      ],
    );
  });

  it('asks which pipeline to run from the view title, whatever row has focus', async () => {
    const startsBefore = api.requestsSent('baton/startRun');
    // VS Code hands a view-title command the focused row; the button must still ask.
    const running = vscode.commands.executeCommand('baton.chooseAndRunPipeline', {
      kind: 'pipeline',
      pipelineId: 'hello',
    });
    await waitForQuickInput(api);
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await running;
    assert.equal(api.requestsSent('baton/startRun'), startsBefore, 'nothing was started');
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
    const number = run.summary.number;
    assert.ok(number !== undefined && number >= 1, 'the server numbered the run');
    const row = api.tree.describe({ kind: 'run', runId: summary.runId }, Date.now());
    assert.equal(row?.label, `Hello #${number}`);
    assert.match(row?.tooltip ?? '', new RegExp(`Run id: \`${summary.runId}\``));
    assert.match(
      row?.tooltip ?? '',
      /File: `hello\.pipeline\.yaml`/,
      'the path is workspace-relative',
    );
    assert.ok(
      api.logChannelNames().includes(`Baton: Hello #${number}`),
      `a channel named after the run: ${api.logChannelNames().join(', ')}`,
    );
    const log = await waitForLog(api, summary.runId, '[count] line 3');
    assert.match(log, /^\[greet\] hello from baton$/m);
    // Progress is a bar in the tree; the log gets a line per tenth of the way, not every tick.
    assert.match(log, /^\[greet\] \[progress\] .*warming up$/m);

    await vscode.commands.executeCommand('baton.copyRunId', { kind: 'run', runId: summary.runId });
    assert.equal(await vscode.env.clipboard.readText(), summary.runId);
    const next = await runPipeline(api, 'hello');
    assert.equal(next.summary.number ?? 0, number + 1, 'the next run takes the next number');
    await waitForRun(api, next.summary.runId, 'succeeded');
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
    // The answer is written into the log, saying where it came from.
    await waitForLog(api, summary.runId, '[choose] [baton] answered `blue` in the editor');
    await waitForLog(api, summary.runId, '[choose] picked blue');
    const stage = api.tree.describe(
      { kind: 'stage', runId: summary.runId, stageId: 'choose' },
      Date.now(),
    );
    assert.match(stage?.tooltip ?? '', /Asked “Pick a colour”: `blue` in the editor/);
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
    // A row of the plan is information: Enter on it does not resume. Cancel then leaves the run be.
    const resumesBefore = api.requestsSent('baton/resumeRun');
    const looking = vscode.commands.executeCommand('baton.resumeRun', { kind: 'run', runId });
    await waitForQuickInput(api);
    await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext'); // Cancel
    await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext'); // the plan's first row
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    assert.ok(api.isQuickInputOpen(), 'the plan stays open');
    await vscode.commands.executeCommand('workbench.action.quickOpenSelectPrevious'); // Cancel
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await looking;
    assert.equal(
      api.requestsSent('baton/resumeRun'),
      resumesBefore + 1,
      'only the dry run was asked',
    );
    assert.equal(api.store.run(runId)?.summary.status, 'cancelled');

    const resuming = vscode.commands.executeCommand('baton.resumeRun', { kind: 'run', runId });
    await waitForQuickInput(api);
    // The first row is "Resume"; Enter accepts it.
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await resuming;
    await waitForStage(api, runId, 'wait', 'running');
    // The second attempt prints before it is stopped, so the stop meets a started process.
    await waitForLog(api, runId, '[wait] ── attempt 2 ──\n[wait] waiting');
    // No retries are configured: the second attempt is a resume, not "attempt 2/2".
    const wait = api.tree.describe({ kind: 'stage', runId, stageId: 'wait' }, Date.now());
    assert.match(wait?.description ?? '', /resumed/);
    assert.doesNotMatch(wait?.description ?? '', /attempt/);
    await vscode.commands.executeCommand('baton.stopRun', { kind: 'run', runId });
    await waitForRun(api, runId, 'cancelled');
    // The run's time is the time it ran in its two goes; the wait before the resume is left out.
    const row = api.tree.describe({ kind: 'run', runId }, Date.now());
    assert.match(row?.description ?? '', /^cancelled · ran \d+(ms|s) in 2 attempts · 0\/2 · 0% · /);
    const after = api.tree.describe({ kind: 'stage', runId, stageId: 'after' }, Date.now());
    assert.match(after?.description ?? '', /^not started/);
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
    // The failed stage's tooltip says why: its exit and the error it printed.
    const tooltip = api.tree.describe(stageNode, Date.now())?.tooltip ?? '';
    assert.match(tooltip, /^\*\*flaky\*\* · failed/);
    assert.match(tooltip, /Error: flaky\.ok is missing/);

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

  it('offers Break Stale Lock only on a pipeline whose lock owner is dead', async () => {
    const before = api.tree.describe({ kind: 'pipeline', pipelineId: 'broken' }, Date.now());
    assert.equal(before?.contextValue, 'pipeline.invalid', 'no lock, no Break Stale Lock');
    const dead = spawnSync('true').pid;
    const locks = path.join(workspaceDir(), '.baton', 'locks');
    fs.mkdirSync(locks, { recursive: true });
    const long = Date.now() - 120_000;
    fs.writeFileSync(
      path.join(locks, 'broken.lock'),
      JSON.stringify({
        token: 'deadbeef01',
        pid: dead,
        host: os.hostname(),
        startedAt: long,
        heartbeatAt: long,
      }),
    );
    // The extension checks locks when it connects and whenever a run stops.
    await vscode.commands.executeCommand('baton.restartServer');
    await until(
      () =>
        api.tree.describe({ kind: 'pipeline', pipelineId: 'broken' }, Date.now())?.contextValue ===
        'pipeline.invalid.lockStale',
      'the stale lock to be noticed',
    );
    assert.equal(
      api.tree.describe({ kind: 'pipeline', pipelineId: 'hello' }, Date.now())?.contextValue,
      'pipeline',
    );
    fs.rmSync(path.join(locks, 'broken.lock'), { force: true });
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
