import * as assert from 'node:assert/strict';
import { runProgress } from '../src/model/runProgress';
import { runViewFromSnapshot, runViewFromSummary } from '../src/model/runView';
import { snapshot, stage, summary } from './builders';

describe('runProgress', () => {
  it('never shows a failed or cancelled run at 100%: ended is not done', () => {
    const failed = runViewFromSnapshot(
      snapshot({
        status: 'failed',
        stages: [
          stage('a', { status: 'succeeded', attempt: 1 }),
          stage('b', { status: 'failed', attempt: 1 }),
          stage('c', { status: 'skipped' }),
        ],
      }),
    );
    assert.deepEqual(runProgress(failed), { done: 1, total: 3, percent: 33 });
    const cancelled = runViewFromSnapshot(
      snapshot({ status: 'cancelled', stages: [stage('a', { status: 'succeeded', attempt: 1 })] }),
    );
    assert.equal(runProgress(cancelled).percent, 99);
    const summaryOnly = runViewFromSummary(
      summary({ status: 'failed', stageCounts: { succeeded: 1, failed: 1 } }),
    );
    assert.deepEqual(runProgress(summaryOnly), { done: 1, total: 2, percent: 50 });
  });

  it('shows 100% for a run that succeeded', () => {
    const done = runViewFromSnapshot(
      snapshot({ status: 'succeeded', stages: [stage('a', { status: 'succeeded', attempt: 1 })] }),
    );
    assert.equal(runProgress(done).percent, 100);
  });

  it('weighs stages by their expected time when every stage has one', () => {
    const run = runViewFromSnapshot(
      snapshot({
        stages: [
          stage('quick', { status: 'succeeded', attempt: 1, expectedMs: 1000 }),
          stage('long', {
            status: 'running',
            attempt: 1,
            expectedMs: 180_000,
            progress: { percent: 6 },
          }),
        ],
      }),
    );
    // By stage count this would read 53%; by time, a 3-minute stage at 6% is barely begun.
    assert.equal(runProgress(run).percent, 6);
  });
});
