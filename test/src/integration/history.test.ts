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
  waitForPipelines,
  waitForQuickInput,
  waitForRun,
  workspaceDir,
} from './batonHelpers';

/** History and comparison: two runs of one pipeline, the second slower, side by side; then a long history. */
describe('History and comparison: Show more…, Show History, Compare with Previous Run', function () {
  this.timeout(90_000);
  let api: BatonApi;
  let first: string;
  let second: string;

  before(async () => {
    copyFixturePipelines(['timing'], 'pipelines-cockpit');
    api = await activateBaton();
    await waitForPipelines(api, ['timing']);
    first = (await runPipeline(api, 'timing')).summary.runId;
    await waitForRun(api, first, 'succeeded');
    second = (await runPipeline(api, 'timing')).summary.runId;
    await waitForRun(api, second, 'succeeded');
  });

  it('shows the two runs side by side with the stage that took longer and by how much', async () => {
    await vscode.commands.executeCommand('baton.compareWithPrevious', {
      kind: 'run',
      runId: second,
    });
    const uri = vscode.Uri.from({
      scheme: 'baton-compare',
      path: `/${encodeURIComponent(second)}/${encodeURIComponent(first)}/Compare.md`,
    });
    const text = (await vscode.workspace.openTextDocument(uri)).getText();
    assert.match(text, /^# Timing #(\d+) compared with #\d+$/m);
    // crunch slept 2.5 s the second time only: its duration grew, shown with a + difference.
    const crunch =
      /^\| `crunch` \| succeeded \| succeeded \| ([^|]+) \| ([^|]+) \| \+([^|]+) \|/m.exec(text);
    assert.ok(crunch, `a crunch row with a positive difference in:\n${text}`);
    assert.match(crunch[2]!, /^[2-9]s|^\d+m/, 'the second run took seconds');
    // Its output is the same in both runs (unmarked), and the run took longer as a whole.
    assert.match(text, /^\| `crunch` \| `slow` \| yes \| yes \| {2}\|$/m);
    assert.match(text, /^\| ran \| [^|]+ \| [^|]+ \| \+[^|]+ \|$/m);
    await until(
      () =>
        vscode.window.tabGroups.all
          .flatMap((group) => group.tabs)
          .find((tab) => tab.input instanceof vscode.TabInputWebview && /Compare/.test(tab.label)),
      'the Markdown preview of the comparison to open',
    );
  });

  it('Compare with Run… compares with a run picked from the pipeline’s history', async () => {
    const done = vscode.commands.executeCommand('baton.compareWithRun', second);
    await waitForQuickInput(api);
    // The history without the run itself: the first run is the only row, and active.
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await done;
    const uri = vscode.Uri.from({
      scheme: 'baton-compare',
      path: `/${encodeURIComponent(second)}/${encodeURIComponent(first)}/Compare.md`,
    });
    const text = (await vscode.workspace.openTextDocument(uri)).getText();
    assert.match(text, /^\| `crunch` \| succeeded \| succeeded \| [^|]+ \| [^|]+ \| \+[^|]+ \|/m);
  });

  it('says there is nothing to compare the first run of a pipeline with', async () => {
    await vscode.commands.executeCommand('baton.compareWithPrevious', first);
    const uri = vscode.Uri.from({
      scheme: 'baton-compare',
      path: `/${encodeURIComponent(first)}/first/Compare.md`,
    });
    const text = (await vscode.workspace.openTextDocument(uri)).getText();
    assert.match(text, /is the first run of Timing: there is no earlier run/);
  });
  // Last: the older runs it adds would come before the first run.
  it('keeps the tree short with Show more…, and Show History pages with Load more…', async () => {
    // 60 older finished runs of Timing, as another process would have left them.
    const runsDir = path.join(workspaceDir(), '.baton', 'runs');
    const template = JSON.parse(
      fs.readFileSync(path.join(runsDir, first, 'run.json'), 'utf8'),
    ) as Record<string, unknown>;
    for (let i = 0; i < 60; i++) {
      const runId = `20200101-0000${String(i).padStart(2, '0')}-000-hist`;
      fs.mkdirSync(path.join(runsDir, runId), { recursive: true });
      const state = { ...template, runId, number: 100 + i, createdAt: Date.UTC(2020, 0, 1) + i };
      fs.writeFileSync(path.join(runsDir, runId, 'run.json'), JSON.stringify(state));
    }
    const pipelineNode = { kind: 'pipeline', pipelineId: 'timing' } as const;
    await until(
      () => api.tree.children(pipelineNode).at(-1)?.kind === 'history',
      'a Show more… row under Timing’s ten newest runs',
    );
    const before = api.requestsSent('baton/listRuns');
    const shown = vscode.commands.executeCommand('baton.showHistory', {
      kind: 'history',
      pipelineId: 'timing',
    });
    await waitForQuickInput(api);
    await until(
      () => api.requestsSent('baton/listRuns') === before + 1 || undefined,
      'the first page',
    );
    // The last row is Load more… (62 runs, 50 a page): accepting it asks for the next page.
    await vscode.commands.executeCommand('workbench.action.quickOpenSelectPrevious');
    await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
    await until(
      () => api.requestsSent('baton/listRuns') === before + 2 || undefined,
      'the second page',
    );
    assert.ok(api.isQuickInputOpen(), 'the history stays open after Load more…');
    await vscode.commands.executeCommand('workbench.action.closeQuickOpen');
    await shown;
  });
});
