import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { BatonApi } from './batonHelpers';
import {
  activateBaton,
  copyFixturePipelines,
  runPipeline,
  until,
  waitForPipelines,
  waitForRun,
} from './batonHelpers';

/** The cockpit's text views: one stage's log, a run's summary, and the notice when a run fails. */
describe('Stage log, summary and run-end notices', function () {
  this.timeout(90_000);
  let api: BatonApi;
  let runId: string;

  before(async () => {
    copyFixturePipelines(['story'], 'pipelines-cockpit');
    copyFixturePipelines(['broken']);
    api = await activateBaton();
    await waitForPipelines(api, ['story', 'broken']);
    const run = await runPipeline(api, 'story');
    runId = run.summary.runId;
    await waitForRun(api, runId, 'failed');
  });

  it('raises a notification when a run it saw under way fails', async () => {
    const notice = await until(
      () => api.runEndNotices().find((text) => text.startsWith('Story #')),
      'a notification that Story failed',
    );
    assert.match(notice, /^Story #\d+ failed/);
  });

  it('Show Stage Log opens that stage’s output alone, attempt by attempt', async () => {
    await vscode.commands.executeCommand('baton.showStageLog', runId, 'fail');
    const editor = await until(
      () =>
        vscode.window.activeTextEditor?.document.uri.scheme === 'baton-stage-log'
          ? vscode.window.activeTextEditor
          : undefined,
      'the stage log to open',
    );
    const text = editor.document.getText();
    assert.match(text, /^Story #\d+ › fail\n/);
    assert.match(text, /──── attempt 1 ────\nabout to fail/);
    assert.doesNotMatch(text, /first line of write/, 'only the one stage’s output');
    assert.match(editor.document.uri.path, /\/fail\.log$/);
  });

  it('folds the stage log’s attempts and groups, in its own language', async () => {
    const editor = await until(
      () =>
        vscode.window.activeTextEditor?.document.uri.scheme === 'baton-stage-log'
          ? vscode.window.activeTextEditor
          : undefined,
      'the stage log to be open',
    );
    const { document } = editor;
    assert.equal(document.languageId, 'baton-log');
    const lines = document.getText().split('\n');
    const line = (text: string): number => lines.indexOf(text);
    assert.ok(line('▼ Checks') > 0, document.getText());
    assert.ok(line('[warning] check two is flaky') > line('▲'), document.getText());
    const ranges = await vscode.commands.executeCommand<vscode.FoldingRange[]>(
      'vscode.executeFoldingRangeProvider',
      document.uri,
    );
    const spans = ranges.map((range) => [range.start, range.end]);
    assert.deepEqual(
      spans.find(([start]) => start === line('▼ Checks')),
      [line('▼ Checks'), line('▲')],
      JSON.stringify(spans),
    );
    const attempt = line('──── attempt 1 ────');
    assert.ok(
      spans.some(([start, end]) => start === attempt && (end ?? 0) >= line('▲')),
      JSON.stringify(spans),
    );
  });

  it('Show Graph draws the run’s stages laid out by their needs, coloured by status', async () => {
    await vscode.commands.executeCommand('baton.showGraph', { kind: 'run', runId });
    const tone = (shown: ReturnType<BatonApi['graphsShown']>[number], stage: string): string =>
      shown.nodes.find((node) => node.stage === stage)?.tone ?? 'none';
    const graph = await until(
      () =>
        api
          .graphsShown()
          .find(
            (shown) =>
              shown.runId === runId &&
              tone(shown, 'write') === 'succeeded' &&
              tone(shown, 'fail') === 'failed',
          ),
      `the graph of the run drawn with write succeeded and fail failed (${JSON.stringify(api.graphsShown())}; the store has ${JSON.stringify(api.store.run(runId)?.stages.map((s) => [s.id, s.status]))})`,
    );
    assert.match(graph.title, /^Story #\d+$/);
    const write = graph.nodes.find((node) => node.stage === 'write');
    const fail = graph.nodes.find((node) => node.stage === 'fail');
    assert.equal(write?.tone, 'succeeded');
    assert.equal(fail?.tone, 'failed');
    assert.ok((write?.x ?? 0) < (fail?.x ?? 0), 'fail needs write: it is drawn to its right');
    // The webview asked for the graph (its script ran under the CSP); its tab is named after the run.
    await until(
      () =>
        vscode.window.tabGroups.all
          .flatMap((group) => group.tabs)
          .find((t) => t.input instanceof vscode.TabInputWebview && /Graph: Story/.test(t.label)),
      'a graph tab named after the run',
    );
  });

  it('Show Graph of an invalid pipeline file lists its problems instead of an empty panel', async () => {
    await vscode.commands.executeCommand('baton.showGraph', {
      kind: 'pipeline',
      pipelineId: 'broken',
    });
    const graph = await until(
      () => api.graphsShown().find((shown) => shown.pipelineId === 'broken'),
      'the graph of the broken pipeline',
    );
    assert.equal(graph.nodes.length, 0);
    assert.match(graph.problems?.[0] ?? '', /^\d+:\d+ /);
  });

  it('Show Summary renders what the stages wrote to $BATON_SUMMARY', async () => {
    await vscode.commands.executeCommand('baton.showSummary', runId);
    const uri = vscode.Uri.from({
      scheme: 'baton-summary',
      path: `/${encodeURIComponent(runId)}/Summary.md`,
    });
    const document = await vscode.workspace.openTextDocument(uri);
    assert.match(document.getText(), /^# Story #\d+\n\n## Results\nAll \*\*good\*\* so far/);
    const preview = await until(
      () =>
        vscode.window.tabGroups.all
          .flatMap((group) => group.tabs)
          .find((tab) => tab.input instanceof vscode.TabInputWebview && /Summary/.test(tab.label)),
      'the Markdown preview of the summary to open',
    );
    assert.match(preview.label, /Summary/);
  });
});
