import * as assert from 'node:assert/strict';
import { formatBytes } from '../src/model/format';
import type { RunEndSettings } from '../src/model/runEndNotice';
import { runEndNotice } from '../src/model/runEndNotice';
import { runViewFromSnapshot } from '../src/model/runView';
import { parseStageLogPath, stageLogPath, stageLogText } from '../src/model/stageLogText';
import { parseSummaryPath, summaryMarkdown, summaryPath } from '../src/model/summaryText';
import { snapshot, stage } from './builders';

const ON: RunEndSettings = { runFailed: true, longRunEnded: true, longRunSeconds: 30 };

describe('Stage log, summary and run-end notices', () => {
  it('addresses a stage log by run and stage, whatever characters they hold', () => {
    const address = { runId: '20261204-101500-000-a1b2', stage: 'fetch data/ü' };
    const path = stageLogPath(address);
    assert.match(path, /\.log$/);
    assert.deepEqual(parseStageLogPath(path), address);
    assert.equal(parseStageLogPath('/nope'), undefined);
    assert.equal(parseSummaryPath(summaryPath('r1')), 'r1');
  });

  it('shows each attempt under its own rule and says how much of a huge log is left out', () => {
    const text = stageLogText('Review #3 › fetch', [
      { attempt: 1, text: 'boom\n', offset: 0, size: 5 },
      {
        attempt: 2,
        text: 'tail of it\n',
        offset: 3 * 1024 * 1024 * 1024,
        size: 3 * 1024 ** 3 + 11,
      },
    ]);
    assert.match(text, /^Review #3 › fetch\n/);
    assert.match(text, /──── attempt 1 ────\nboom\n/);
    assert.match(text, /──── attempt 2 ────\n… the first 3 GiB of 3 GiB are not shown/);
    assert.match(text, /tail of it/);
    assert.match(stageLogText('x', [], 'Up to date: it did not run.'), /Up to date/);
  });

  it('formats byte counts for people', () => {
    assert.equal(formatBytes(512), '512 B');
    assert.equal(formatBytes(3300), '3.2 KiB');
    assert.equal(formatBytes(41 * 1024 * 1024), '41 MiB');
  });

  it('titles a run summary with the run name and keeps the stages’ Markdown', () => {
    const run = runViewFromSnapshot(
      snapshot({ number: 4, summary: '## Results\n\nAll **good**\n' }),
    );
    assert.equal(
      summaryMarkdown(run),
      `# ${run.summary.pipelineName} #4\n\n## Results\n\nAll **good**\n`,
    );
    const none = runViewFromSnapshot(snapshot({ number: 5 }));
    assert.match(summaryMarkdown(none), /No stage of this run wrote a summary/);
  });

  it('notifies a failure seen live, with Retry Failed on its failed stage', () => {
    const failed = runViewFromSnapshot(
      snapshot({
        status: 'failed',
        startedAt: 0,
        endedAt: 4000,
        reason: 'stage deploy failed',
        stages: [stage('build', { status: 'succeeded' }), stage('deploy', { status: 'failed' })],
      }),
    );
    const notice = runEndNotice('running', failed, { now: 5000, focused: true, settings: ON });
    assert.equal(notice?.severity, 'error');
    assert.match(notice?.message ?? '', /failed after 4s: stage deploy failed$/);
    assert.deepEqual(notice?.actions, ['Show Log', 'Retry Failed', 'Show Graph']);
    assert.equal(notice?.retryStage, 'deploy');
    assert.equal(
      runEndNotice(undefined, failed, { now: 5000, focused: true, settings: ON }),
      undefined,
    );
    assert.equal(
      runEndNotice('failed', failed, { now: 5000, focused: true, settings: ON }),
      undefined,
    );
    const off = { ...ON, runFailed: false };
    assert.equal(
      runEndNotice('running', failed, { now: 5000, focused: true, settings: off }),
      undefined,
    );
  });

  it('notifies a long run that ends only while the window is unfocused', () => {
    const long = runViewFromSnapshot(
      snapshot({ status: 'succeeded', startedAt: 0, endedAt: 60_000 }),
    );
    const context = { now: 61_000, focused: false, settings: ON };
    assert.equal(runEndNotice('running', long, context)?.severity, 'info');
    assert.equal(runEndNotice('running', long, { ...context, focused: true }), undefined);
    const short = { ...ON, longRunSeconds: 120 };
    assert.equal(runEndNotice('running', long, { ...context, settings: short }), undefined);
    const off = { ...ON, longRunEnded: false };
    assert.equal(runEndNotice('running', long, { ...context, settings: off }), undefined);
  });
});
