import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import type { Pipeline, RunState } from '../../src/index';
import { plainState, transition } from '../../src/index';
import { schedulingWork } from '../../src/run/schedule';
import { effectsOf, pipelineOf, RunDriver, spawned, stageSpec } from './harness';
import { deepFreeze, ShellModel } from './simulation';

/** One root and `count` stages that need only it: every one is ready once the root is done. */
function fanOut(count: number, concurrency: number): Pipeline {
  const leaves = Array.from({ length: count }, (_, i) => stageSpec(`s${i}`, { needs: ['root'] }));
  return pipelineOf([stageSpec('root'), ...leaves], { concurrency });
}

/** A random DAG of up to 40 stages, each needing up to three earlier ones, some retried. */
const arbWidePipeline: fc.Arbitrary<Pipeline> = fc
  .record({
    needs: fc.array(fc.array(fc.nat(), { maxLength: 3 }), { minLength: 1, maxLength: 40 }),
    retried: fc.array(fc.boolean(), { minLength: 40, maxLength: 40 }),
    concurrency: fc.integer({ min: 1, max: 6 }),
  })
  .map(({ needs, retried, concurrency }) =>
    pipelineOf(
      needs.map((picks, i) =>
        stageSpec(`s${i}`, {
          needs: i === 0 ? [] : [...new Set(picks.map((pick) => `s${pick % i}`))],
          retry: {
            attempts: retried[i] === true ? 3 : 1,
            backoffMs: 500,
            factor: 2,
            maxBackoffMs: 4000,
            jitter: 0,
          },
          continueOnError: i % 5 === 0,
        }),
      ),
      { concurrency },
    ),
  );

describe('run: per-event cost on large runs', () => {
  it('starts a wide fan-out in declaration order, looking at a bounded number of stages per event', () => {
    const count = 2000;
    const run = new RunDriver(fanOut(count, 3));
    run.start();
    const before = schedulingWork.examined;
    const live = spawned(run.exit('root'));
    const order = [...live];
    let events = 1;
    for (let stage = live.shift(); stage !== undefined; stage = live.shift()) {
      const next = spawned(run.exit(stage));
      live.push(...next);
      order.push(...next);
      events += 1;
    }
    assert.equal(run.state.status, 'succeeded');
    assert.deepEqual(
      order,
      Array.from({ length: count }, (_, i) => `s${i}`),
      'the ready stages start in declaration order',
    );
    // A walk of every ready stage per event would be about count² / 2 = 2 million.
    const examined = schedulingWork.examined - before;
    assert.ok(
      examined <= 4 * count + 4 * events,
      `examined ${examined} stages for ${events} events`,
    );
  });

  it('gives the same result when a state is transitioned again after its successor took its caches', () => {
    const run = new RunDriver(fanOut(50, 2));
    run.start();
    run.exit('root');
    const shared = run.state;
    const first = transition(shared, {
      type: 'stageExited',
      stage: 's0',
      attempt: 1,
      exitCode: 0,
      random: 0.5,
      at: run.now,
    });
    const onward = transition(first.state, {
      type: 'stageExited',
      stage: 's1',
      attempt: 1,
      exitCode: 1,
      random: 0.5,
      at: run.now,
    });
    const second = transition(shared, {
      type: 'stageExited',
      stage: 's0',
      attempt: 1,
      exitCode: 0,
      random: 0.5,
      at: run.now,
    });
    assert.deepEqual(second, first);
    assert.deepEqual(spawned(second.effects), ['s2']);
    const fresh = transition(structuredClone(plainState(first.state)), {
      type: 'stageExited',
      stage: 's1',
      attempt: 1,
      exitCode: 1,
      random: 0.5,
      at: run.now,
    });
    assert.deepEqual(onward, fresh);
    assert.deepEqual(spawned(onward.effects), ['s3']);
  });

  it('shares the records an event did not change with the state before it', () => {
    const run = new RunDriver(pipelineOf([stageSpec('a', { idleTimeoutMs: 1000 })]));
    run.start();
    run.send({ type: 'stageStarted', stage: 'a', attempt: 1, pid: 7 });
    const before = run.state;
    run.send({ type: 'stageProgress', stage: 'a', attempt: 1, progress: { percent: 10 } });
    assert.notEqual(run.state.stages, before.stages, 'the progress changed a stage');
    assert.equal(run.state.prompts, before.prompts);
    assert.equal(run.state.inputs, before.inputs);
    assert.equal(run.state.answers, before.answers);
    const active = run.state;
    run.advance(1000);
    const effects = run.send({
      type: 'timerFired',
      timer: { kind: 'idleCheck', stage: 'a', attempt: 1 },
      lastActivityAt: run.now - 10,
    });
    assert.deepEqual(
      effects.map((e) => e.type),
      ['startTimer'],
      'an active stage has its idle check armed again',
    );
    assert.equal(run.state.stages, active.stages, 'no stage changed');
    assert.equal(run.state.seq, active.seq + 1);
  });

  it('gives a command the outputs it reads in its run, cwd and env, among many stages', () => {
    const many = Array.from({ length: 300 }, (_, i) => stageSpec(`m${i}`));
    const run = new RunDriver(
      pipelineOf(
        [
          stageSpec('a'),
          stageSpec('b'),
          ...many,
          stageSpec('c', {
            needs: ['a', 'b'],
            run: 'use "${{ stages.a.outputs.n }}"',
            cwd: 'out/${{ stages.b.outputs.dir }}',
            env: { LABEL: 'b=${{ stages.b.outputs.label }}' },
          }),
        ],
        { concurrency: 1000 },
      ),
    );
    run.start();
    run.exit('a', 0, { outputs: { n: '3' } });
    const [spawn] = effectsOf(
      run.exit('b', 0, { outputs: { dir: 'd', label: 'L' } }),
      'spawnStage',
    );
    assert.ok(spawn !== undefined && spawn.stage === 'c', 'c starts once a and b are done');
    assert.equal(spawn.cwd, 'out/d');
    assert.deepEqual(spawn.env, { LABEL: 'b=L', BATON_OUT_A__N: '3' });
  });

  it('never writes to its input and matches a fresh computation on larger random runs', () => {
    fc.assert(
      fc.property(
        arbWidePipeline,
        fc.array(fc.tuple(fc.nat({ max: 9 }), fc.nat(), fc.nat({ max: 1500 })), {
          maxLength: 150,
        }),
        (pipeline, script) => {
          // ShellModel deep-freezes every state it transitions and checks each
          // result against a structured clone and a second transition.
          const model = new ShellModel(deepFreeze(pipeline), false);
          for (const [kind, pick, dt] of script) {
            model.now += dt;
            const options = kind < 8 ? model.plausible(pick) : model.lifecycle(pick);
            const event = options[pick % Math.max(1, options.length)];
            if (event !== undefined) model.apply(event);
          }
          model.drain(2000);
          const last: RunState = model.state;
          assert.ok(['succeeded', 'failed', 'cancelled', 'interrupted'].includes(last.status));
        },
      ),
      { numRuns: 60 },
    );
  });
});
