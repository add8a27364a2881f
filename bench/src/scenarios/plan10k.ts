import { createRun, parsePipeline, transition } from '@baton/core';
import type { Effect, RunEvent, RunState } from '@baton/core';
import { performance } from 'node:perf_hooks';
import type { ScenarioOutcome } from '../results';
import type { BenchContext, Scenario } from '../scenario';
import { repetitions } from '../scenario';
import { summarize } from '../stats';

/** Stages in the generated DAG. */
const STAGE_COUNT = 10_000;
/** The plan target from the issue, in ms. */
const PLAN_TARGET_MS = 500;

/** A small deterministic generator, so every run plans the same DAG. */
function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

/** A generated stage: its index and the indices of the stages it needs. */
interface GeneratedStage {
  readonly index: number;
  readonly needs: readonly number[];
}

/**
 * A DAG of `count` stages where each stage after the first few needs one to
 * three earlier stages, mostly recent ones: wide and deep, like a build graph.
 */
function generateDag(count: number, seed: number): GeneratedStage[] {
  const random = seededRandom(seed);
  const stages: GeneratedStage[] = [];
  for (let index = 0; index < count; index++) {
    const needs = new Set<number>();
    const wanted = index < 4 ? 0 : 1 + Math.floor(random() * 3);
    while (needs.size < wanted) {
      needs.add(index - (1 + Math.floor(random() ** 2 * Math.min(index, 200))));
    }
    stages.push({ index, needs: [...needs] });
  }
  return stages;
}

/** The generated DAG as a YAML pipeline file. */
export function generateDagYaml(count: number, seed = 42): string {
  const lines = ['name: generated dag', 'concurrency: 8', 'stages:'];
  for (const stage of generateDag(count, seed)) {
    lines.push(`  s${stage.index}:`, '    run: "true"');
    if (stage.needs.length > 0) {
      lines.push(`    needs: [${stage.needs.map((need) => `s${need}`).join(', ')}]`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/** The same DAG as a JSON pipeline file. */
export function generateDagJson(count: number, seed = 42): string {
  const stages: Record<string, { run: string; needs?: string[] }> = {};
  for (const stage of generateDag(count, seed)) {
    stages[`s${stage.index}`] =
      stage.needs.length === 0
        ? { run: 'true' }
        : { run: 'true', needs: stage.needs.map((need) => `s${need}`) };
  }
  return JSON.stringify({ name: 'generated dag', concurrency: 8, stages });
}

function spawnEffects(effects: readonly Effect[]): Extract<Effect, { type: 'spawnStage' }>[] {
  return effects.filter(
    (e): e is Extract<Effect, { type: 'spawnStage' }> => e.type === 'spawnStage',
  );
}

/** Parses, validates, creates and starts a run: the time to the first spawn effects. */
function planOnce(
  text: string,
  file: string,
): { ms: number; state: RunState; effects: readonly Effect[] } {
  const started = performance.now();
  const parsed = parsePipeline(text, file);
  if (parsed.pipeline === undefined) {
    const first = parsed.diagnostics[0];
    throw new Error(`the generated pipeline is invalid: ${first?.message ?? 'no pipeline'}`);
  }
  const run = createRun({
    runId: 'bench-plan',
    pipeline: parsed.pipeline,
    at: 0,
    interactive: false,
    defaultConcurrency: 8,
  });
  const first = transition(run, { type: 'runStarted', at: 1 });
  if (spawnEffects(first.effects).length === 0) throw new Error('the run started no stage');
  return { ms: performance.now() - started, state: first.state, effects: first.effects };
}

/** What a time-boxed simulation measured. */
interface Simulation {
  /** Milliseconds of each transition applied. */
  readonly transitionMs: number[];
  /** Whether the run reached its end within the budget. */
  readonly finished: boolean;
}

/**
 * Feeds a start and a success event for every spawn, as a shell whose stages
 * all succeed would, until the run ends or `budgetMs` has passed.
 */
function simulateRun(state: RunState, effects: readonly Effect[], budgetMs: number): Simulation {
  const deadline = performance.now() + budgetMs;
  const queue = spawnEffects(effects);
  const transitionMs: number[] = [];
  let current = state;
  let at = 2;
  const apply = (event: RunEvent): readonly Effect[] => {
    const before = performance.now();
    const result = transition(current, event);
    transitionMs.push(performance.now() - before);
    if (result.rejected !== undefined)
      throw new Error(`the core rejected ${event.type}: ${result.rejected}`);
    current = result.state;
    return result.effects;
  };
  for (let next = queue.shift(); next !== undefined; next = queue.shift()) {
    if (performance.now() > deadline) return { transitionMs, finished: false };
    const { stage, attempt } = next;
    apply({ type: 'stageStarted', stage, attempt, at: at++ });
    const after = apply({
      type: 'stageExited',
      stage,
      attempt,
      exitCode: 0,
      random: 0.5,
      at: at++,
    });
    queue.push(...spawnEffects(after));
  }
  if (current.status !== 'succeeded') throw new Error(`the simulated run ended ${current.status}`);
  return { transitionMs, finished: true };
}

function simulationNote(simulation: Simulation): string {
  const total = simulation.transitionMs.reduce((sum, ms) => sum + ms, 0);
  if (simulation.finished) {
    return `the whole run simulated in the core: ${simulation.transitionMs.length} transitions in ${(total / 1000).toFixed(1)} s`;
  }
  // The mean, not the median: the copies a large run makes cost garbage collection, which
  // lands on a few transitions but belongs to the whole run.
  const estimate = ((total / simulation.transitionMs.length) * STAGE_COUNT * 2) / 1000;
  return `a full simulated run (${STAGE_COUNT * 2} transitions) did not fit the time box: ${simulation.transitionMs.length} transitions took ${(total / 1000).toFixed(1)} s, so the whole run would take about ${estimate.toFixed(0)} s`;
}

async function run(context: BenchContext): Promise<ScenarioOutcome> {
  const yaml = generateDagYaml(STAGE_COUNT);
  const json = generateDagJson(STAGE_COUNT);
  const plans: number[] = [];
  const jsonPlans: number[] = [];
  let last: ReturnType<typeof planOnce> | undefined;
  // Each repetition parses two 500 KB files: two are enough in --quick.
  const count = repetitions(context, 5, 2);
  for (let rep = 0; rep < count; rep++) {
    last = planOnce(yaml, 'generated.pipeline.yaml');
    plans.push(last.ms);
    jsonPlans.push(planOnce(json, 'generated.pipeline.json').ms);
    context.log(
      `plan_10k rep ${rep + 1}/${count}: YAML ${last.ms.toFixed(0)} ms, JSON ${jsonPlans.at(-1)?.toFixed(0)} ms`,
    );
    // Let pending I/O (the progress log) through between repetitions.
    await new Promise((resolve) => setImmediate(resolve));
  }
  if (last === undefined) throw new Error('no repetition ran');
  const simulation = simulateRun(last.state, last.effects, context.quick ? 2000 : 15000);
  const plan = summarize(plans);
  return {
    rows: [
      {
        key: 'plan_10k_ms',
        unit: 'ms',
        baton: plan,
        target: `≤ ${PLAN_TARGET_MS} ms`,
        met: plan.median <= PLAN_TARGET_MS,
        note: `parsePipeline of ${(yaml.length / 1024).toFixed(0)} KB of generated YAML (${STAGE_COUNT} stages, 1–3 needs each) + createRun + runStarted → first spawn effects`,
      },
      {
        key: 'plan_10k_json_ms',
        unit: 'ms',
        baton: summarize(jsonPlans),
        target: '—',
        note: `the same DAG as a ${(json.length / 1024).toFixed(0)} KB .pipeline.json file (strict JSON instead of YAML)`,
      },
      {
        key: 'transition_10k_ms',
        unit: 'ms per event',
        baton: summarize(simulation.transitionMs),
        target: '—',
        note: simulationNote(simulation),
      },
    ],
  };
}

/** `plan_10k_ms`: validate and schedule a generated 10,000-stage DAG in the core. */
export const plan10kScenario: Scenario = {
  key: 'plan_10k_ms',
  title: 'validate and schedule a generated 10,000-stage DAG in the core',
  run,
};
