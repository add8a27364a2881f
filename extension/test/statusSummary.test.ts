import * as assert from 'node:assert/strict';
import { ServerMirror } from '../src/model/serverMirror';
import { statusSummary } from '../src/model/statusSummary';
import { prompt, snapshot, stage, summary } from './builders';

describe('statusSummary', () => {
  it('says nothing runs when nothing does', () => {
    const store = new ServerMirror();
    store.addSummaries([summary({ status: 'succeeded' })]);
    assert.deepEqual(statusSummary(store.allRuns()), {
      text: '$(list-tree) Baton',
      tooltip: 'Baton: no active runs',
      attention: false,
    });
  });

  it('counts active runs, overall progress and open prompts', () => {
    const store = new ServerMirror();
    store.setSnapshot(
      snapshot({
        stages: [
          stage('a', { status: 'succeeded' }),
          stage('b', { status: 'running', progress: { percent: 50 } }),
          stage('c'),
          stage('d'),
        ],
      }),
    );
    store.openPrompt({ ...prompt(), seq: 99 });
    const result = statusSummary(store.allRuns());
    assert.equal(result.text, '$(sync~spin) Build ·r1 · 37% $(bell-dot) 1');
    assert.equal(result.attention, true);
    assert.match(result.tooltip, /1\/4 stages done/);
  });
});
