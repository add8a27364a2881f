/**
 * The run timeline folded from a run's event log, one logged event at a time
 * (`baton/getRunTimeline`). Each stage attempt becomes a bar of phases:
 * queued, retry backoff, waiting for a pool slot, waiting for an answer,
 * running. The fold reads what the events say (starts, exits, pool slots,
 * prompts, timers); where an interval's start is a decision of the core's
 * scheduler that no event records (when a stage's needs were done), it is
 * worked out from the needs' own ends.
 */
import type * as Core from '@baton/core';
import type * as P from '@baton/protocol';

/** A phase being built (its `end` is set when it closes). */
interface OpenPhase {
  kind: P.TimelinePhaseKind;
  start: number;
  end?: number;
}

/** An attempt being built. */
interface OpenAttempt {
  readonly attempt: number;
  readonly phases: OpenPhase[];
  ended?: P.TimelineAttemptEnd;
  exitCode?: number;
}

/** A row being built. */
export interface FoldRow {
  readonly attempts: OpenAttempt[];
  /** Phases of the next attempt before it starts (a retry's backoff, then queued). */
  pre: OpenPhase[];
  /** When the stage's last attempt ended or it was settled without running, in this go. */
  doneAt?: number;
  /** When its check against the record said "run" in this go (it was ready from then). */
  checkedAt?: number;
  /** When it was settled as up to date. */
  upToDateAt?: number;
  /** Its open prompts (`<stage>/<promptId>`). */
  readonly prompts: Set<string>;
}

/** The needs of a stage, from the run's (fanned-out) pipeline. */
export type NeedsOf = (stage: string) => readonly string[];

/**
 * The fold's state for one run: rows by stage id, and what the run as a whole
 * did (when it started, its current go, whether a stop was asked).
 */
export class TimelineFold {
  readonly rows = new Map<string, FoldRow>();
  /** The last event folded in. */
  seq = 0;
  startedAt: number | undefined;
  /** When the current go (the first start or the last resume) began. */
  private goStart = 0;
  private cancelling = false;

  constructor(private readonly needsOf: NeedsOf) {}

  /** Folds in one logged event; events at or before `seq` are passed over. */
  apply(event: Core.LoggedEvent): void {
    if (event.seq <= this.seq) return;
    this.seq = event.seq;
    switch (event.type) {
      case 'runStarted':
        this.startedAt ??= event.at;
        this.goStart = event.at;
        return;
      case 'runResumed':
        this.resumed(event.at);
        return;
      case 'cancelRequested':
        this.cancelling = true;
        return;
      case 'runInterrupted':
        this.interrupted(event.at);
        return;
      case 'stageChecked':
        this.checked(event);
        return;
      case 'stageStarted':
        this.started(event.stage, event.attempt, event.at);
        return;
      case 'slotsWaiting':
        this.poolWaiting(event.stage, event.at);
        return;
      case 'slotsAcquired':
        this.poolAcquired(event.stage, event.at);
        return;
      case 'promptOpened':
        this.promptOpened(event.stage, event.attempt, `${event.stage}/${event.promptId}`, event.at);
        return;
      case 'promptAnswered':
        this.promptClosed(event.promptId, event.at);
        return;
      case 'timerFired':
        this.timerFired(event.timer, event.at);
        return;
      case 'stageExited':
        this.exited(event);
        return;
      default:
        return;
    }
  }

  /** The row of a stage, made on first use. */
  row(stage: string): FoldRow {
    let row = this.rows.get(stage);
    if (row === undefined) {
      row = { attempts: [], pre: [], prompts: new Set() };
      this.rows.set(stage, row);
    }
    return row;
  }

  private resumed(at: number): void {
    this.goStart = at;
    this.cancelling = false;
    for (const row of this.rows.values()) {
      row.pre = [];
      delete row.checkedAt;
      row.prompts.clear();
    }
  }

  private interrupted(at: number): void {
    for (const row of this.rows.values()) {
      const last = row.attempts.at(-1);
      if (last !== undefined && last.ended === undefined) endAttempt(last, at, 'interrupted');
      row.pre = [];
    }
  }

  private checked(event: Core.RunEventOf<'stageChecked'>): void {
    const row = this.row(event.stage);
    if (event.action === 'skip') {
      row.upToDateAt = event.at;
      row.doneAt = event.at;
    } else {
      row.checkedAt = event.at;
    }
  }

  private started(stage: string, attempt: number, at: number): void {
    const row = this.row(stage);
    const pre = row.pre.length > 0 ? row.pre : this.queuedSince(stage, row, at);
    closeLast(pre, at);
    row.attempts.push({ attempt, phases: [...pre, { kind: 'running', start: at }] });
    row.pre = [];
  }

  /**
   * The phases of a stage's next attempt while it waits to start: a retry's
   * backoff and queue, or, before its first attempt of this go, the queue
   * since its needs were done. Copies, still open at the end.
   */
  waitingPhases(stage: string): P.TimelinePhase[] {
    const row = this.row(stage);
    const phases = row.pre.length > 0 ? row.pre : this.queuedSince(stage, row, Infinity);
    return phases.map((phase) => ({ ...phase }));
  }

  /** The queued phase of a stage's first attempt in this go: from when its needs were done. */
  private queuedSince(stage: string, row: FoldRow, at: number): OpenPhase[] {
    let ready = row.checkedAt ?? this.goStart;
    if (row.checkedAt === undefined)
      for (const need of this.needsOf(stage)) ready = Math.max(ready, this.doneAt(need, 0));
    return ready > 0 && ready < at ? [{ kind: 'queued', start: ready }] : [];
  }

  /**
   * When a stage was done: its own last end, or, for a stage that never ran
   * itself (a fanned-out stage gathering its units), when its needs were.
   */
  private doneAt(stage: string, depth: number): number {
    const own = this.rows.get(stage)?.doneAt;
    if (own !== undefined || depth > 2) return own ?? 0;
    let latest = 0;
    for (const need of this.needsOf(stage)) latest = Math.max(latest, this.doneAt(need, depth + 1));
    return latest;
  }

  /**
   * A stage queued for its pool slots (`slotsWaiting`, before it starts): the
   * wait is a phase of its next attempt. A new reason for the same wait (who
   * it waits behind changed) keeps the phase open.
   */
  private poolWaiting(stage: string, at: number): void {
    const row = this.row(stage);
    const last = row.pre.at(-1);
    if (last?.kind === 'pool' && last.end === undefined) return;
    const pre = row.pre.length > 0 ? row.pre : this.queuedSince(stage, row, at);
    closeLast(pre, at);
    row.pre = [...pre, { kind: 'pool', start: at }];
  }

  /** It took its pool slots (`slotsAcquired`): from then it waits for a concurrency place. */
  private poolAcquired(stage: string, at: number): void {
    const row = this.rows.get(stage);
    const last = row?.pre.at(-1);
    if (row === undefined || last?.kind !== 'pool' || last.end !== undefined) return;
    last.end = at;
    row.pre.push({ kind: 'queued', start: at });
  }

  private promptOpened(stage: string, attempt: number, key: string, at: number): void {
    const current = this.currentAttempt(stage, attempt);
    if (current === undefined) return;
    this.row(stage).prompts.add(key);
    const phase = current.phases.at(-1);
    if (phase !== undefined && phase.kind !== 'input' && phase.end === undefined)
      switchPhase(current, 'input', at);
  }

  private promptClosed(key: string, at: number): void {
    const stage = key.slice(0, key.lastIndexOf('/'));
    const row = this.rows.get(stage);
    if (row === undefined || !row.prompts.delete(key) || row.prompts.size > 0) return;
    const current = row.attempts.at(-1);
    const phase = current?.phases.at(-1);
    if (current !== undefined && phase?.kind === 'input' && phase.end === undefined)
      switchPhase(current, 'running', at);
  }

  private timerFired(timer: Core.Timer, at: number): void {
    if (timer.kind === 'promptDeadline') this.promptClosed(timer.promptId, at);
    if (timer.kind !== 'retryDue') return;
    const row = this.rows.get(timer.stage);
    const backoff = row?.pre.at(-1);
    if (row === undefined || backoff?.kind !== 'backoff' || backoff.end !== undefined) return;
    backoff.end = at;
    row.pre.push({ kind: 'queued', start: at });
  }

  private exited(event: Core.RunEventOf<'stageExited'>): void {
    const row = this.rows.get(event.stage);
    const current = this.currentAttempt(event.stage, event.attempt);
    if (row === undefined || current === undefined) return;
    const clean =
      event.exitCode === 0 &&
      event.error === undefined &&
      (event.missingOutputs ?? []).length === 0;
    const ended = clean ? 'succeeded' : this.cancelling ? 'cancelled' : 'failed';
    endAttempt(current, event.at, ended);
    if (event.exitCode !== undefined) current.exitCode = event.exitCode;
    row.doneAt = event.at;
    row.prompts.clear();
    // A failed attempt may be retried: its backoff is shown while the stage is `retrying`.
    row.pre = ended === 'failed' ? [{ kind: 'backoff', start: event.at }] : [];
  }

  private currentAttempt(stage: string, attempt: number): OpenAttempt | undefined {
    const last = this.rows.get(stage)?.attempts.at(-1);
    return last?.attempt === attempt && last.ended === undefined ? last : undefined;
  }
}

function closeLast(phases: OpenPhase[], at: number): void {
  const last = phases.at(-1);
  if (last !== undefined && last.end === undefined) last.end = Math.max(at, last.start);
}

function switchPhase(attempt: OpenAttempt, kind: P.TimelinePhaseKind, at: number): void {
  closeLast(attempt.phases, at);
  attempt.phases.push({ kind, start: at });
}

function endAttempt(attempt: OpenAttempt, at: number, ended: P.TimelineAttemptEnd): void {
  closeLast(attempt.phases, at);
  attempt.ended = ended;
}
