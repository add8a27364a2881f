import * as assert from 'node:assert/strict';
import type * as P from '@baton/protocol';
import { paramsOf, until } from './serverHarness';
import { useWorkspaceServer } from './workspaceServer';

// hold and train share a one-slot pool, so one of them waits for it; flaky fails its
// first attempt and is retried after a backoff; ask asks a question and, with
// three stages at once, waits for a slot first.
const PIPELINE = `name: Timeline
concurrency: 3
pools:
  gpu: 1
stages:
  hold:
    resources: { gpu: 1 }
    run: sleep 0.6
  train:
    resources: { gpu: 1 }
    run: sleep 0.1
  flaky:
    retry: { attempts: 2, backoff: 200ms }
    run: if [ -f once ]; then exit 0; else touch once; exit 1; fi
  ask:
    run: |
      echo "::prompt id=go,type=confirm,default=yes::Go on?"
      read answer
  after:
    needs: [ask, flaky]
    run: "true"
`;

function kinds(attempt: P.TimelineAttempt | undefined): string[] {
  return attempt?.phases.map((phase) => phase.kind) ?? [];
}

describe('baton/getRunTimeline: a run folded from its event log', function () {
  this.timeout(60000);
  const fx = useWorkspaceServer('timeline', 'timeline', PIPELINE);

  async function runWithAnswer(): Promise<string> {
    const { runId } = await fx.server.client.sendRequest<P.StartRunResult>('baton/startRun', {
      pipeline: 'timeline',
    });
    await until(
      () => paramsOf<P.DidOpenPromptParams>(fx.server, 'baton/didOpenPrompt').length > 0,
      20000,
      'the question of ask',
    );
    const [prompt] = paramsOf<P.DidOpenPromptParams>(fx.server, 'baton/didOpenPrompt');
    // The question stays open a moment, so its phase has a length.
    const live = await fx.server.client.sendRequest<P.RunTimeline>('baton/getRunTimeline', {
      runId,
    });
    const asking = live.units.find((unit) => unit.stage === 'ask')?.attempts.at(-1);
    assert.equal(asking?.phases.at(-1)?.kind, 'input', 'ask waits for its answer');
    assert.equal(asking?.phases.at(-1)?.end, undefined, 'the wait goes on');
    await fx.server.client.sendRequest('baton/answerPrompt', {
      runId,
      promptId: prompt?.promptId,
      value: true,
    });
    await until(
      () =>
        paramsOf<P.DidChangeRunParams>(fx.server, 'baton/didChangeRun').some((change) =>
          change.events.some(
            (event) => event.kind === 'runStatusChanged' && event.status === 'succeeded',
          ),
        ),
      20000,
      'the run to succeed',
    );
    return runId;
  }

  it('shows the retry, the pool wait, the open question and the queue, also after a restart', async () => {
    const runId = await runWithAnswer();
    const check = (timeline: P.RunTimeline): void => {
      const unit = (id: string): P.TimelineUnit | undefined =>
        timeline.units.find((u) => u.stage === id);
      assert.deepEqual(
        timeline.units.map((u) => u.stage),
        ['hold', 'train', 'flaky', 'ask', 'after'],
      );
      const flaky = unit('flaky');
      assert.equal(flaky?.attempts.length, 2, 'two bars for flaky');
      assert.equal(flaky?.attempts[0]?.ended, 'failed');
      assert.equal(flaky?.attempts[0]?.exitCode, 1);
      assert.deepEqual(kinds(flaky?.attempts[1]), ['backoff', 'queued', 'running']);
      assert.equal(flaky?.attempts[1]?.ended, 'succeeded');
      const backoff = flaky?.attempts[1]?.phases[0];
      assert.ok((backoff?.end ?? 0) - (backoff?.start ?? 0) >= 200, 'the backoff lasts 200ms');
      // Whichever of hold and train took the one slot second waited for it, then ran.
      const waiter = [unit('hold'), unit('train')].find((u) =>
        kinds(u?.attempts[0]).includes('pool'),
      );
      // Waiting for the pool comes before the attempt runs; with its slots it queues for a place.
      assert.deepEqual(kinds(waiter?.attempts[0]).slice(-3), ['pool', 'queued', 'running']);
      assert.ok(kinds(unit('ask')?.attempts[0]).includes('input'));
      assert.equal(kinds(unit('ask')?.attempts[0])[0], 'queued', 'ask waited for a slot');
      assert.equal(unit('after')?.attempts[0]?.ended, 'succeeded');
      for (const u of timeline.units)
        for (const attempt of u.attempts) {
          // Phases follow each other without gaps, each closed in an ended run.
          attempt.phases.forEach((phase, i) => {
            assert.ok(phase.end !== undefined && phase.end >= phase.start, `${u.stage} closed`);
            const next = attempt.phases[i + 1];
            if (next) assert.equal(next.start, phase.end, `${u.stage} has no gap`);
          });
        }
      assert.ok(timeline.endedAt !== undefined && timeline.startedAt !== undefined);
    };
    const first = await fx.server.client.sendRequest<P.RunTimeline>('baton/getRunTimeline', {
      runId,
    });
    check(first);
    // A fresh server folds the same log from disk.
    await fx.restart();
    const again = await fx.server.client.sendRequest<P.RunTimeline>('baton/getRunTimeline', {
      runId,
    });
    check(again);
    assert.deepEqual(again.units, first.units);
  });

  it('refuses an unknown run with RunNotFound', async () => {
    await assert.rejects(
      fx.server.client.sendRequest('baton/getRunTimeline', { runId: '20990101-000000-000-zzzz' }),
      (error: { code?: number }) => error.code === -32010,
    );
  });
});
