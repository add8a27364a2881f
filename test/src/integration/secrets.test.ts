import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BatonApi } from './batonHelpers';
import {
  activateBaton,
  copyFixturePipelines,
  runPipeline,
  until,
  waitForLockReleased,
  waitForLog,
  waitForPipelines,
  waitForQuickInput,
  waitForRun,
  workspaceDir,
} from './batonHelpers';

/** The values typed in; built in parts so this compiled file is no match when the workspace is scanned. */
const FIRST = ['first', '5ecret', 'value'].join('-');
const STORED = ['stored', '5ecret', 'value'].join('-');

/** Waits for the extension's masked InputBox and types `text` into it, then presses Enter. */
async function typeSecret(api: BatonApi, text: string): Promise<void> {
  const box = await until(() => api.openInputBox(), 'a Baton InputBox to open');
  assert.equal(box.password, true, 'the box masks what is typed');
  box.setValue(text);
  await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
}

/** Answers the "Remember it?" QuickPick: its first row is "this run only", the second "remember". */
async function answerRemember(api: BatonApi, remember: boolean): Promise<void> {
  await until(
    () => api.isQuickInputOpen() && api.openInputBox() === undefined,
    'the Remember pick',
  );
  if (remember) await vscode.commands.executeCommand('workbench.action.quickOpenSelectNext');
  await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
}

function read(name: string): string {
  return fs.readFileSync(path.join(workspaceDir(), name), 'utf8');
}

/** Every file of the workspace except the ones the stages write the value to on purpose. */
function assertNowhereInWorkspace(values: readonly string[]): void {
  const files = fs
    .readdirSync(workspaceDir(), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && !entry.name.startsWith('secret-'))
    .map((entry) => path.join(entry.parentPath, entry.name));
  assert.ok(
    files.some((file) => file.includes(`${path.sep}.baton${path.sep}`)),
    'run files exist',
  );
  for (const file of files) {
    const text = fs.readFileSync(file, 'utf8');
    for (const value of values) assert.ok(!text.includes(value), `${file} shows a secret`);
  }
}

describe('Baton extension: secrets from VS Code', function () {
  this.timeout(90_000);
  let api: BatonApi;

  before(async () => {
    copyFixturePipelines(['secret']);
    fs.rmSync(path.join(workspaceDir(), 'secret.ok'), { force: true });
    api = await activateBaton();
    await waitForPipelines(api, ['secret']);
  });

  it('asks for a secret nothing sets in a masked box and gives it to that run only; a resume asks again', async () => {
    const starting = vscode.commands.executeCommand('baton.runPipeline', {
      kind: 'pipeline',
      pipelineId: 'secret',
    });
    await typeSecret(api, FIRST);
    await answerRemember(api, false);
    await starting;
    const run = await until(() => api.store.runsOf('secret')[0], 'the run to be listed');
    const runId = run.summary.runId;
    await waitForRun(api, runId, 'failed');
    assert.equal(read('secret-seen.txt'), FIRST, 'the stage had the value');
    await waitForLog(api, runId, '[use] the token is ***');
    assert.ok(!(api.logText(runId) ?? '').includes(FIRST), 'the output channel shows it masked');

    // Not remembered and not kept by the server: resuming asks again; this time it is remembered.
    fs.writeFileSync(path.join(workspaceDir(), 'secret.ok'), '');
    await waitForLockReleased('secret');
    const resuming = vscode.commands.executeCommand('baton.resumeRun', { kind: 'run', runId });
    await waitForQuickInput(api);
    // The first row of the plan pick is "Resume".
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await typeSecret(api, FIRST);
    await answerRemember(api, true);
    await resuming;
    await waitForRun(api, runId, 'succeeded');
    assert.equal(read('secret-delivered.txt'), FIRST);
    assertNowhereInWorkspace([FIRST]);
  });

  it('uses a remembered secret without asking', async () => {
    const shown = api.quickInputsShown();
    const { summary } = await runPipeline(api, 'secret');
    await waitForRun(api, summary.runId, 'succeeded');
    assert.equal(api.quickInputsShown(), shown, 'nothing was asked');
    assert.equal(read('secret-delivered.txt'), FIRST);
  });

  it('stores a value with "Baton: Set Secret…" that later runs use', async () => {
    const setting = vscode.commands.executeCommand('baton.setSecret');
    await waitForQuickInput(api);
    // The pick lists the names the workspace's pipelines declare; FIXTURE_TOKEN is the only one.
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await typeSecret(api, STORED);
    await setting;
    const shown = api.quickInputsShown();
    await waitForLockReleased('secret');
    const { summary } = await runPipeline(api, 'secret');
    await waitForRun(api, summary.runId, 'succeeded');
    assert.equal(api.quickInputsShown(), shown, 'nothing was asked');
    assert.equal(read('secret-delivered.txt'), STORED);
    assertNowhereInWorkspace([FIRST, STORED]);
  });
});
