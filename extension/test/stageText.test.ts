import * as assert from 'node:assert/strict';
import { attemptText, stageStatusWord } from '@baton/protocol';
import { stageDescription } from '../src/model/stageText';
import { stage } from './builders';

describe('stage texts', () => {
  it('shows attempt n/m only where retries are configured', () => {
    assert.equal(
      attemptText(stage('a', { attempt: 1, maxAttempts: 1, attemptsPerGo: 1 })),
      undefined,
    );
    assert.equal(
      attemptText(stage('a', { attempt: 2, maxAttempts: 3, attemptsPerGo: 3 })),
      'attempt 2/3',
    );
  });

  it('shows a resume as a resume, not as attempt 2/2', () => {
    // No retries; failed once, then the run was resumed: the budget grew to 2.
    const resumed = stage('a', { status: 'running', attempt: 2, maxAttempts: 2, attemptsPerGo: 1 });
    assert.equal(attemptText(resumed), 'resumed');
    // Retries configured (3 a go) and resumed after using all 3: the 4th attempt is 1/3 of the new go.
    const retried = stage('a', { attempt: 4, maxAttempts: 6, attemptsPerGo: 3 });
    assert.equal(attemptText(retried), 'resumed · attempt 1/3');
  });

  it('calls a stage that never started "not started", not cancelled or stopped', () => {
    const never = stage('b', {
      status: 'cancelled',
      attempt: 0,
      reason: 'cancelled before it started',
    });
    assert.equal(stageStatusWord(never, 'cancelled'), 'not started');
    assert.match(stageDescription(never, 0, 'cancelled'), /^not started/);
    assert.equal(stageStatusWord(stage('c', { status: 'pending' }), 'failed'), 'not started');
    assert.equal(stageStatusWord(stage('c', { status: 'pending' }), 'running'), 'pending');
    assert.equal(stageStatusWord(stage('d', { status: 'cancelled', attempt: 1 })), 'cancelled');
    assert.equal(stageStatusWord(stage('e', { status: 'skipped' }), 'failed'), 'skipped');
  });
});
