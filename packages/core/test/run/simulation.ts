import * as assert from 'node:assert/strict';
import type {
  AnswerValue,
  Effect,
  LoggedEvent,
  Pipeline,
  PromptState,
  PromptType,
  RunEvent,
  RunState,
  Timer,
  TransitionResult,
} from '../../src/index';
import { createRun, plainState, timerKey, transition } from '../../src/index';

/**
 * A model of the shell for property tests: it carries out effects (live
 * processes, timers) and offers the events that could plausibly come next,
 * plus some that should be rejected. Every step checks the invariants.
 */
export class ShellModel {
  readonly initial: RunState;
  state: RunState;
  now = 0;
  readonly log: LoggedEvent[] = [];
  /** Live processes by stage → attempt. */
  readonly live = new Map<string, number>();
  /** Started timers by key, with when they are due. */
  readonly timers = new Map<string, { timer: Timer; due: number }>();
  private readonly rerunForced = new Set<string>();

  constructor(pipeline: Pipeline, interactive: boolean) {
    this.initial = createRun({
      runId: 'sim',
      pipeline,
      at: 0,
      interactive,
      defaultConcurrency: 2,
    });
    this.state = this.initial;
  }

  /** Applies an event, carries out its effects and checks every invariant. */
  apply(event: RunEvent): boolean {
    const before = deepFreeze(this.state);
    this.now = Math.max(this.now, event.at);
    const result = transition(before, deepFreeze(event));
    this.checkSameAsFresh(before, event, result);
    if (result.rejected !== undefined) {
      assert.equal(result.state, before, 'a rejected event changes nothing');
      assert.equal(result.effects.length, 0, 'a rejected event has no effects');
      if (event.type === 'timerFired') this.timers.delete(timerKey(event.timer));
      return false;
    }
    assert.equal(result.state.seq, before.seq + 1);
    this.log.push({ ...event, seq: result.state.seq });
    this.state = result.state;
    if (event.type === 'timerFired') this.timers.delete(timerKey(event.timer));
    if (event.type === 'stageExited') this.live.delete(event.stage);
    if (event.type === 'runInterrupted') this.live.clear();
    if (event.type === 'runResumed') this.noteForced(event.rerun ?? []);
    for (const effect of result.effects) this.carryOut(effect);
    this.checkInvariants(before, event, result.effects);
    return true;
  }

  /**
   * The core keeps caches keyed by the objects of a state (pipeline indexes,
   * status counts, settled stage records, the ready stages' heap, which each
   * transition hands on to the state it produces) so an event costs what it
   * changes. A deep copy of the state, which no cache knows, must give the
   * same result, and so must the same state transitioned a second time.
   */
  private checkSameAsFresh(before: RunState, event: RunEvent, result: TransitionResult): void {
    const fresh = transition(structuredClone(plainState(before)), event);
    const again = transition(before, event);
    for (const [other, name] of [
      [fresh, 'a fresh copy'],
      [again, 'the same state again'],
    ] as const) {
      assert.equal(other.rejected, result.rejected, `${name} rejects the same way`);
      assert.deepEqual(other.effects, result.effects, `${name} has the same effects`);
      if (result.rejected === undefined) {
        assert.deepEqual(other.state, result.state, `${name} reaches the same state`);
      }
    }
  }

  private noteForced(rerun: readonly string[]): void {
    this.rerunForced.clear();
    for (const id of rerun) this.rerunForced.add(id);
    for (let changed = true; changed;) {
      changed = false;
      for (const spec of this.state.pipeline.stages) {
        if (!this.rerunForced.has(spec.id) && spec.needs.some((n) => this.rerunForced.has(n))) {
          this.rerunForced.add(spec.id);
          changed = true;
        }
      }
    }
  }

  private carryOut(effect: Effect): void {
    switch (effect.type) {
      case 'spawnStage':
        assert.ok(!this.live.has(effect.stage), `stage ${effect.stage} spawned twice at once`);
        this.live.set(effect.stage, effect.attempt);
        break;
      case 'startTimer':
        this.timers.set(timerKey(effect.timer), { timer: effect.timer, due: effect.at });
        break;
      case 'cancelTimer':
        this.timers.delete(timerKey(effect.timer));
        break;
      default:
        break;
    }
  }

  private checkInvariants(before: RunState, event: RunEvent, effects: readonly Effect[]): void {
    const stages = Object.values(this.state.stages);
    const liveStages = stages.filter((s) => s.status === 'running' || s.status === 'waiting');
    assert.ok(liveStages.length <= this.state.concurrency, 'concurrency exceeded');
    assert.deepEqual(
      liveStages.map((s) => s.id).sort(),
      [...this.live.keys()].sort(),
      'live stages match live processes',
    );
    for (const old of Object.values(before.stages)) {
      if (old.status !== 'succeeded') continue;
      const now = this.state.stages[old.id];
      const forced = event.type === 'runResumed' && this.rerunForced.has(old.id);
      if (!forced) assert.equal(now?.status, 'succeeded', `succeeded stage ${old.id} changed`);
    }
    const stopped = (s: string) => ['succeeded', 'failed', 'cancelled', 'interrupted'].includes(s);
    const finished = effects.filter((e) => e.type === 'runFinished');
    const entered = stopped(this.state.status) && !stopped(before.status);
    if (entered) assert.equal(finished.length, 1, 'runFinished once on stopping');
    if (!stopped(this.state.status))
      assert.equal(finished.length, 0, 'no runFinished while active');
    assert.deepEqual(JSON.parse(JSON.stringify(this.state)), this.state, 'state is plain JSON');
  }

  /** Events that could plausibly happen now, given the state and the shell model. */
  plausible(pick: number): RunEvent[] {
    const at = this.now;
    const events: RunEvent[] = [];
    const s = this.state;
    if (s.status === 'queued') events.push({ type: 'runStarted', at });
    for (const [stage, attempt] of this.live) {
      events.push(
        { type: 'stageStarted', stage, attempt, pid: 100 + attempt, at },
        { type: 'stageProgress', stage, attempt, progress: { percent: pick % 100 }, at },
        exitEvent(stage, attempt, pick, at),
        promptEvent(stage, attempt, pick, at),
      );
    }
    for (const prompt of Object.values(s.prompts)) {
      events.push({
        type: 'promptAnswered',
        promptId: prompt.id,
        value: validAnswer(prompt),
        by: 'rpc',
        at,
      });
    }
    for (const { timer, due } of this.timers.values()) {
      const firedAt = Math.max(at, due);
      events.push({
        type: 'timerFired',
        timer,
        at: firedAt,
        lastActivityAt: at - (pick % 3) * 1000,
      });
    }
    if (['failed', 'cancelled', 'interrupted'].includes(s.status)) {
      events.push({ type: 'runResumed', at, interactive: s.interactive });
    }
    return events;
  }

  /** Run-level events: cancel, interrupt and resume (with a forced re-run now and then). */
  lifecycle(pick: number): RunEvent[] {
    const at = this.now;
    const stageIds = this.state.pipeline.stages.map((st) => st.id);
    const rerun = pick % 3 === 0 ? [stageIds[pick % stageIds.length] ?? 'ghost'] : [];
    return [
      { type: 'cancelRequested', at },
      { type: 'runInterrupted', reason: 'crash', at },
      { type: 'runResumed', at, interactive: pick % 2 === 0, rerun },
    ];
  }

  /** Events that should be rejected (or are odd): unknown ids, old attempts, wrong answers. */
  implausible(pick: number): RunEvent[] {
    const at = this.now;
    const ids = [...this.state.pipeline.stages.map((s) => s.id), 'ghost'];
    const stage = ids[pick % ids.length] ?? 'ghost';
    const attempt = pick % 4;
    return [
      { type: 'stageExited', stage, attempt, exitCode: 0, random: 0.3, at },
      { type: 'stageStarted', stage, attempt, at },
      { type: 'promptAnswered', promptId: `${stage}/x`, value: 'nope', by: 'cli', at },
      { type: 'promptAnswered', promptId: 'inputs.i0', value: pick, by: 'cli', at },
      { type: 'timerFired', timer: { kind: 'retryDue', stage, attempt }, at },
      { type: 'timerFired', timer: { kind: 'promptDeadline', promptId: 'inputs.i1' }, at },
      { type: 'runStarted', at },
      { type: 'runResumed', at, interactive: true, rerun: ['ghost'] },
    ];
  }

  /**
   * Lets every process exit and every prompt and timer settle, as a shell
   * would, until the run stops. Returns the number of steps it took.
   */
  drain(limit: number): number {
    for (let step = 0; step < limit; step += 1) {
      this.now += 1000;
      const s = this.state;
      if (!['queued', 'running', 'waiting'].includes(s.status)) return step;
      const next = this.nextDrainEvent();
      assert.ok(next !== undefined, `run stuck in ${s.status} with nothing left to happen`);
      this.apply(next);
    }
    assert.fail(`run did not stop within ${limit} steps (status ${this.state.status})`);
  }

  private nextDrainEvent(): RunEvent | undefined {
    const at = this.now;
    if (this.state.status === 'queued') return { type: 'runStarted', at };
    const prompt = Object.values(this.state.prompts)[0];
    if (prompt !== undefined) {
      return {
        type: 'promptAnswered',
        promptId: prompt.id,
        value: validAnswer(prompt),
        by: 'cli',
        at,
      };
    }
    const [stage, attempt] = [...this.live.entries()][0] ?? [];
    if (stage !== undefined && attempt !== undefined) {
      return { type: 'stageExited', stage, attempt, exitCode: 0, random: 0.5, at };
    }
    const next = [...this.timers.values()][0];
    return next === undefined
      ? undefined
      : { type: 'timerFired', timer: next.timer, at: Math.max(at, next.due) };
  }
}

function exitEvent(stage: string, attempt: number, pick: number, at: number): RunEvent {
  const random = (pick % 10) / 10;
  switch (pick % 5) {
    case 0:
      return { type: 'stageExited', stage, attempt, exitCode: 1, random, at };
    case 1:
      return { type: 'stageExited', stage, attempt, exitCode: 75, random, at };
    case 2:
      return { type: 'stageExited', stage, attempt, signal: 'SIGKILL', random, at };
    case 3:
      return {
        type: 'stageExited',
        stage,
        attempt,
        exitCode: 0,
        missingOutputs: ['o/*'],
        random,
        at,
      };
    default:
      return { type: 'stageExited', stage, attempt, exitCode: 0, outputs: { n: '1' }, random, at };
  }
}

const TYPES: readonly PromptType[] = ['choice', 'multi', 'text', 'number', 'confirm'];

function promptEvent(stage: string, attempt: number, pick: number, at: number): RunEvent {
  const promptType = TYPES[pick % TYPES.length] ?? 'text';
  const options = promptType === 'choice' || promptType === 'multi' ? ['x', 'y'] : undefined;
  return {
    type: 'promptOpened',
    promptId: `q${pick % 2}`,
    stage,
    attempt,
    message: 'Question?',
    promptType,
    ...(options === undefined ? {} : { options }),
    ...(pick % 3 === 0 ? { timeoutMs: 5000 } : {}),
    ...(pick % 4 === 0 && promptType === 'text' ? { default: 'd' } : {}),
    at,
  };
}

/** A valid answer for any prompt. */
export function validAnswer(prompt: PromptState): AnswerValue {
  switch (prompt.type) {
    case 'choice':
      return prompt.options?.[0] ?? '';
    case 'multi':
      return prompt.options?.slice(0, 1) ?? [];
    case 'number':
      return 7;
    case 'confirm':
      return true;
    case 'text':
      return 'answer';
    default: {
      const never: never = prompt.type;
      return never;
    }
  }
}

/**
 * Freezes a value and everything it holds, so that a transition that wrote
 * to its input state would throw (the tests run in strict mode). Objects
 * already frozen are passed over: states share what they did not change.
 */
export function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  for (const item of Object.values(value)) deepFreeze(item);
  return Object.freeze(value);
}
