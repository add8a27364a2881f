import type { PromptState, RunState, StageSpec, StageState } from '@baton/core';
import { changedStageIds, pipelineIndex, runRanMs } from '@baton/core';
import { attemptText, executorConditionText, stageStatusWord } from '@baton/protocol';
import type { EngineEvents } from '../engine/engineEvents';
import { formatClock, formatDuration } from './terminalFormat';
import type { Terminal } from './terminal';

/**
 * Output for logs and CI (stdout not a terminal): one timestamped line per
 * stage change and per line a stage prints, prefixed with the stage.
 */
export class PlainView {
  private readonly statuses = new Map<string, string>();
  private readonly partial = new Map<string, string>();
  private readonly quarters = new Map<string, number>();
  private readonly conditions = new Map<string, StageState['executorCondition']>();
  private runStatus: string | undefined;

  constructor(
    private readonly terminal: Terminal,
    private readonly now: () => number = Date.now,
  ) {}

  /** Prints a line with the time. */
  note(text: string): void {
    this.terminal.line(`${formatClock(this.now())} ${text}`);
  }

  /** Takes the stages' current statuses as known (a resumed run), without printing them. */
  seed(state: RunState): void {
    for (const stage of Object.values(state.stages)) {
      this.statuses.set(stage.id, `${stage.status}#${stage.attempt}`);
    }
    this.runStatus = 'running';
  }

  onRunChanged(payload: EngineEvents['runChanged']): void {
    const { state } = payload;
    if (state.status !== this.runStatus) {
      this.runStatus = state.status;
      if (state.status === 'running' && state.seq <= 2)
        this.note(`run ${state.runId} of ${state.pipeline.name} started`);
    }
    for (const spec of changedSpecs(payload)) {
      const stage = state.stages[spec.id];
      if (!stage) continue;
      this.noteProgress(stage);
      this.noteCondition(stage);
      // A stage waiting for a pool is told again when whom it waits for changes.
      const waitingFor = stage.status === 'waitingForPool' ? `#${stage.reason ?? ''}` : '';
      const key = `${stage.status}#${stage.attempt}${waitingFor}`;
      if (this.statuses.get(stage.id) === key) continue;
      this.statuses.set(stage.id, key);
      const line = describeStageChange(stage, spec.retry.attempts);
      if (line) this.note(`[${stage.id}] ${line}`);
    }
  }

  /** One line when what holds a running remote stage up changes: `queued on gpu: no worker`, and when it passes. */
  private noteCondition(stage: StageState): void {
    const before = this.conditions.get(stage.id);
    const now = stage.status === 'running' ? stage.executorCondition : undefined;
    if (before === now) return;
    this.conditions.set(stage.id, now);
    if (now !== undefined) this.note(`[${stage.id}] ${executorConditionText(now)}`);
    else if (before?.kind === 'unreachable' && stage.status === 'running')
      this.note(`[${stage.id}] executor reachable again`);
    else if (before?.kind === 'noWorker' && stage.status === 'running')
      this.note(
        `[${stage.id}] taken off queue ${before.queue}${stage.handle?.where === undefined ? '' : ` by ${stage.handle.where}`}`,
      );
  }

  /** One line each time a running stage's progress passes a quarter, not one per report. */
  private noteProgress(stage: StageState): void {
    const percent = stage.progress?.percent;
    if (stage.status !== 'running' || percent === undefined) return;
    const key = `${stage.id}#${stage.attempt}`;
    const quarter = Math.floor(percent / 25);
    if (quarter <= (this.quarters.get(key) ?? 0)) return;
    this.quarters.set(key, quarter);
    const message = stage.progress?.message === undefined ? '' : ` ${stage.progress.message}`;
    this.note(`[${stage.id}] ${Math.round(percent)}%${message}`);
  }

  onLog(payload: EngineEvents['log']): void {
    const text = (this.partial.get(payload.stage) ?? '') + payload.text;
    const lines = text.split('\n');
    this.partial.set(payload.stage, lines.pop() ?? '');
    for (const line of lines) {
      // A progress bar redrawn with carriage returns: only its final state is worth a line.
      const shown =
        line
          .split('\r')
          .filter((part) => part !== '')
          .at(-1) ?? '';
      // Progress is summarised per quarter (see noteProgress), not printed per report.
      if (!shown.startsWith('[progress]')) this.note(`[${payload.stage}] ${shown}`);
    }
  }

  onPromptOpened(prompt: PromptState, runId: string, canAnswer: boolean): void {
    const where = prompt.kind === 'stage' ? `[${prompt.stage}] ` : '';
    const details = [
      prompt.type,
      prompt.options ? `options: ${prompt.options.join(' | ')}` : '',
      prompt.default !== undefined ? `default: ${String(prompt.default)}` : '',
    ]
      .filter(Boolean)
      .join(', ');
    this.note(`? ${where}${prompt.message} (${details})`);
    if (canAnswer) {
      const deadline =
        prompt.deadline === undefined
          ? ''
          : `; unanswered by ${formatClock(prompt.deadline)} it takes its default`;
      this.note(`  answer with: baton answer ${runId} ${prompt.id} <value>${deadline}`);
    }
  }

  onPromptClosed(payload: EngineEvents['promptClosed']): void {
    const answer = payload.answer === undefined ? 'no answer' : JSON.stringify(payload.answer);
    this.note(`  ${payload.promptId}: ${answer} (by ${payload.by})`);
  }

  /** Prints the run's result. */
  finish(state: RunState): void {
    // The time it ran, not counting the wait before a resume.
    const took =
      state.startedAt !== undefined && state.endedAt !== undefined
        ? ` in ${formatDuration(runRanMs(state, state.endedAt))}`
        : '';
    const reason = state.reason === undefined ? '' : `: ${state.reason}`;
    this.note(`run ${state.runId} ${state.status}${took}${reason}`);
  }
}

/**
 * The declared stages the payload's changes touched, in the order they
 * changed; every stage when a change cannot tell (a state without shared
 * stage tables). Looking at every stage per event would cost a fan-out of n
 * items n² over its run.
 */
function changedSpecs(payload: EngineEvents['runChanged']): readonly StageSpec[] {
  const { pipeline } = payload.state;
  const ids = new Set<string>();
  for (const { before, after } of payload.changes) {
    const changed = changedStageIds(before, after);
    if (changed === undefined) return pipeline.stages;
    changed.forEach((id) => ids.add(id));
  }
  if (payload.changes.length === 0) return pipeline.stages;
  const specs = pipelineIndex(pipeline).specs;
  return [...ids].flatMap((id) => specs.get(id) ?? []);
}

/**
 * A stage change in words, or undefined when it is not worth a line.
 * `attemptsPerGo` is the stage's `retry.attempts`: attempts are counted only
 * where retries are set, and a resume says so (as the editor's tree does).
 */
export function describeStageChange(stage: StageState, attemptsPerGo: number): string | undefined {
  const took =
    stage.startedAt !== undefined && stage.endedAt !== undefined
      ? ` in ${formatDuration(stage.endedAt - stage.startedAt)}`
      : '';
  const why = stage.reason === undefined ? '' : `: ${stage.reason}`;
  switch (stage.status) {
    case 'running': {
      // The first attempt of a checked stage says why it runs (deps changed, never ran, …).
      const plan = stage.plan !== undefined && stage.attempt === 1 ? `: ${stage.plan}` : '';
      const attempt = attemptText({ ...stage, attemptsPerGo });
      return `started${attempt === undefined ? '' : ` (${attempt})`}${plan}`;
    }
    case 'retrying':
      return `${attemptText({ ...stage, attemptsPerGo }) ?? `attempt ${stage.attempt}`} failed${why}; retrying${stage.retryAt === undefined ? '' : ` at ${formatClock(stage.retryAt)}`}`;
    case 'succeeded':
      return stage.upToDate !== undefined && stage.plan !== undefined
        ? stage.plan
        : `succeeded${took}`;
    case 'failed':
      return `failed${took}${why}`;
    case 'skipped':
    case 'cancelled':
      return `${stageStatusWord(stage)}${why}`;
    case 'waitingForPool':
      // "waiting for pool gpu: held by run … stage train", or that it has its slots.
      return stage.reason ?? stageStatusWord(stage);
    case 'pending':
    case 'ready':
    case 'waiting':
      return undefined;
    default: {
      const never: never = stage.status;
      return String(never);
    }
  }
}
