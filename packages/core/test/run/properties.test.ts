import * as assert from 'node:assert/strict';
import fc from 'fast-check';
import type { InputSpec, Pipeline, StageSpec } from '../../src/index';
import { planResume, replay } from '../../src/index';
import { ShellModel } from './simulation';

/** A random DAG: stage i may need any earlier stage; declaration order is then shuffled. */
const arbPipeline: fc.Arbitrary<Pipeline> = fc
  .record({
    size: fc.integer({ min: 1, max: 7 }),
    edges: fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 12 }),
    flags: fc.array(
      fc.record({
        attempts: fc.integer({ min: 1, max: 3 }),
        continueOnError: fc.boolean(),
        timeout: fc.boolean(),
        idle: fc.boolean(),
        exitCodes: fc.boolean(),
      }),
      { minLength: 7, maxLength: 7 },
    ),
    order: fc.array(fc.nat(), { minLength: 7, maxLength: 7 }),
    concurrency: fc.integer({ min: 1, max: 3 }),
    inputs: fc.array(fc.boolean(), { maxLength: 2 }),
  })
  .map(({ size, edges, flags, order, concurrency, inputs }) => {
    const stages: StageSpec[] = [];
    for (let i = 0; i < size; i += 1) {
      const f = flags[i] ?? flags[0];
      const needs = [
        ...new Set(
          edges
            .filter(([from, to]) => to % size === i && from % size < i)
            .map(([from]) => `s${from % size}`),
        ),
      ];
      stages.push({
        id: `s${i}`,
        run: `work ${i}`,
        env: {},
        needs,
        retry: {
          attempts: f?.attempts ?? 1,
          backoffMs: 1000,
          factor: 2,
          maxBackoffMs: 8000,
          jitter: 0.5,
          ...(f?.exitCodes === true ? { onExitCodes: [75] } : {}),
        },
        outputs: [],
        watch: [],
        deps: [],
        cache: true,
        continueOnError: f?.continueOnError ?? false,
        ...(f?.timeout === true ? { timeoutMs: 3000 } : {}),
        ...(f?.idle === true ? { idleTimeoutMs: 2000 } : {}),
      });
    }
    const shuffled = stages
      .map((stage, i) => ({ stage, key: order[i] ?? 0 }))
      .sort((a, b) => a.key - b.key)
      .map((x) => x.stage);
    const inputSpecs: InputSpec[] = inputs.map((hasDefault, i) => ({
      id: `i${i}`,
      prompt: `Input ${i}?`,
      type: 'text',
      timeoutMs: 4000,
      ...(hasDefault ? { default: 'dflt' } : {}),
    }));
    return {
      id: 'prop',
      file: 'prop.pipeline.yaml',
      name: 'Prop',
      concurrency,
      inputs: inputSpecs,
      env: {},
      secretEnv: [],
      stages: shuffled,
    };
  });

const arbScript = fc.array(fc.tuple(fc.nat({ max: 99 }), fc.nat(), fc.nat({ max: 3000 })), {
  maxLength: 120,
});

/** Runs a random script of plausible and implausible events against the model. */
function runScript(model: ShellModel, script: readonly (readonly [number, number, number])[]) {
  for (const [kind, pick, dt] of script) {
    model.now += dt;
    const options =
      kind < 80
        ? model.plausible(pick)
        : kind < 90
          ? model.lifecycle(pick)
          : model.implausible(pick);
    const event = options[pick % Math.max(1, options.length)];
    if (event !== undefined) model.apply(event);
  }
}

describe('run: properties over random event sequences', () => {
  it('never runs a stage twice at once, never exceeds the cap, replays exactly and always stops', () => {
    fc.assert(
      fc.property(arbPipeline, fc.boolean(), arbScript, (pipeline, interactive, script) => {
        const model = new ShellModel(pipeline, interactive);
        runScript(model, script);
        model.drain(500);
        assert.ok(
          ['succeeded', 'failed', 'cancelled', 'interrupted'].includes(model.state.status),
          `ended ${model.state.status}`,
        );
        assert.deepEqual(replay(model.initial, model.log), model.state);
      }),
      { numRuns: 400 },
    );
  });

  it('never re-runs a succeeded stage on resume unless forced', () => {
    fc.assert(
      fc.property(arbPipeline, arbScript, fc.nat(), (pipeline, script, pick) => {
        const model = new ShellModel(pipeline, true);
        runScript(model, script);
        model.drain(500);
        if (model.state.status === 'succeeded') return;
        const before = model.state;
        const plan = planResume(before);
        assert.equal(plan.resumable, true);
        for (const step of plan.stages) {
          const succeeded = before.stages[step.stage]?.status === 'succeeded';
          assert.equal(step.action === 'skip', succeeded, `${step.stage}: ${step.reason}`);
        }
        model.apply({ type: 'runResumed', at: model.now, interactive: pick % 2 === 0 });
        for (const stage of Object.values(before.stages)) {
          if (stage.status !== 'succeeded') continue;
          assert.deepEqual(model.state.stages[stage.id], stage);
        }
        model.drain(500);
        assert.deepEqual(replay(model.initial, model.log), model.state);
      }),
      { numRuns: 300 },
    );
  });

  it('ends every run in a final state when every process exits successfully', () => {
    fc.assert(
      fc.property(arbPipeline, fc.boolean(), (pipeline, interactive) => {
        const model = new ShellModel(pipeline, interactive);
        model.drain(500);
        const hasUnfillable = pipeline.inputs.some((i) => i.default === undefined);
        const expected = !interactive && hasUnfillable ? 'failed' : 'succeeded';
        assert.equal(model.state.status, expected, model.state.reason);
      }),
      { numRuns: 200 },
    );
  });
});
