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

/** The run timeline: a run's attempts on one time axis, a retry as a second bar. */
describe('Run timeline', function () {
  this.timeout(90_000);
  let api: BatonApi;

  before(async () => {
    copyFixturePipelines(['retry'], 'pipelines-cockpit');
    api = await activateBaton();
    await waitForPipelines(api, ['retry']);
  });

  it('Show Timeline opens the run’s timeline and shows the retry as a second bar', async () => {
    const run = await runPipeline(api, 'retry');
    const runId = run.summary.runId;
    // Opened while the run goes on: it follows the run live.
    await vscode.commands.executeCommand('baton.showTimeline', { kind: 'run', runId });
    await waitForRun(api, runId, 'succeeded');
    const view = await until(
      () =>
        api
          .timelinesShown()
          .find(
            (shown) =>
              shown.runId === runId &&
              shown.now === undefined &&
              shown.rows.find((row) => row.stage === 'report')?.bars[0]?.end === 'succeeded',
          ),
      `the timeline of the ended run (${JSON.stringify(api.timelinesShown())})`,
    );
    assert.match(view.title, /^Retry #\d+$/);
    assert.deepEqual(
      view.rows.map((row) => row.stage),
      ['prepare', 'warm', 'ask', 'flaky', 'report'],
    );
    const flaky = view.rows.find((row) => row.stage === 'flaky');
    assert.deepEqual(
      flaky?.bars.map((bar) => bar.end),
      ['failed', 'succeeded'],
    );
    assert.deepEqual(
      flaky?.bars[1]?.phases.map((phase) => phase.kind),
      ['backoff', 'queued', 'running'],
    );
    const kinds = (stage: string): string[] =>
      view.rows.find((row) => row.stage === stage)?.bars[0]?.phases.map((p) => p.kind) ?? [];
    // Whichever of the two got the slot second waited for it.
    const pooled = [...kinds('prepare'), ...kinds('warm')].filter((kind) => kind === 'pool');
    assert.equal(
      pooled.length,
      1,
      `one waited for the pool: ${kinds('prepare')} / ${kinds('warm')}`,
    );
    assert.ok(kinds('ask').includes('input'), `ask waited for its answer: ${kinds('ask')}`);
    const [first, second] = flaky?.bars ?? [];
    assert.ok((first?.phases.at(-1)?.to ?? Infinity) <= (second?.phases[0]?.from ?? 0));
    // The webview asked for it (its script ran under the CSP); its tab is named after the run.
    await until(
      () =>
        vscode.window.tabGroups.all
          .flatMap((group) => group.tabs)
          .find(
            (t) => t.input instanceof vscode.TabInputWebview && /Timeline: Retry/.test(t.label),
          ),
      'a timeline tab named after the run',
    );
    assert.ok(api.requestsSent('baton/getRunTimeline') >= 1);
  });

  it('catches up from the run’s log after the server restarts while it is open', async () => {
    const run = await runPipeline(api, 'retry');
    const runId = run.summary.runId;
    await vscode.commands.executeCommand('baton.showTimeline', { kind: 'run', runId });
    const flakyBars = (shown: ReturnType<BatonApi['timelinesShown']>[number]): string[] =>
      shown.rows.find((row) => row.stage === 'flaky')?.bars.map((bar) => bar.end) ?? [];
    await until(
      () =>
        api
          .timelinesShown()
          .find(
            (shown) =>
              shown.runId === runId && shown.now !== undefined && flakyBars(shown)[0] === 'failed',
          ),
      'the live timeline to show the failed first attempt',
    );
    const asked = api.requestsSent('baton/getRunTimeline');
    // Stopping the server interrupts its run; the new server reads the run's log.
    await vscode.commands.executeCommand('baton.restartServer');
    const view = await until(
      () =>
        api.requestsSent('baton/getRunTimeline') > asked
          ? api.timelinesShown().find((shown) => shown.runId === runId && shown.now === undefined)
          : undefined,
      `the timeline of the interrupted run after the restart (${JSON.stringify(api.timelinesShown())})`,
    );
    assert.equal(api.store.run(runId)?.summary.status, 'interrupted');
    assert.equal(flakyBars(view)[0], 'failed', 'the first attempt is still there');
    for (const row of view.rows)
      for (const bar of row.bars)
        assert.notEqual(bar.end, 'going', `${row.stage} ended with the run`);
  });
});
