import type { Pipeline } from '../pipeline/model';
import type { RunState, StageState } from './state';

/** What resuming does to one stage, and why. */
export interface ResumeStep {
  readonly stage: string;
  /**
   * `skip`: keep its result; `rerun`: run again after an earlier attempt; `run`:
   * never started; `attach`: follow its interrupted attempt, which still belongs
   * to its executor (a detached handle), without starting it again.
   */
  readonly action: 'skip' | 'rerun' | 'run' | 'attach';
  readonly reason: string;
}

/** The plan shown before a run resumes; `runResumed` applies exactly this plan. */
export interface ResumePlan {
  readonly resumable: boolean;
  /** Why the run cannot be resumed (when `resumable` is false). */
  readonly reason?: string;
  /** One step per stage, in declaration order. */
  readonly stages: readonly ResumeStep[];
}

/** Options for `planResume`. */
export interface ResumeOptions {
  /** Stages to run again even if they succeeded; their dependants run again too. */
  readonly rerun?: readonly string[];
}

function notResumable(state: RunState): string | undefined {
  switch (state.status) {
    case 'interrupted':
    case 'failed':
    case 'cancelled':
      return undefined;
    case 'queued':
      return 'the run has not started yet; start it instead';
    case 'running':
    case 'waiting':
      return 'the run is still running';
    case 'succeeded':
      return 'the run succeeded; start a new run to run it again';
    default: {
      const never: never = state.status;
      return `unknown run status ${String(never)}`;
    }
  }
}

/** Each forced stage and everything downstream of it, mapped to why it must run again. */
function forcedStages(pipeline: Pipeline, rerun: readonly string[]): Map<string, string> {
  const forced = new Map<string, string>();
  for (const id of rerun) forced.set(id, 're-run requested');
  for (let changed = true; changed;) {
    changed = false;
    for (const spec of pipeline.stages) {
      if (forced.has(spec.id)) continue;
      const cause = spec.needs.find((need) => forced.has(need));
      if (cause !== undefined) {
        forced.set(spec.id, `depends on '${cause}', which runs again`);
        changed = true;
      }
    }
  }
  return forced;
}

function stepFor(stage: StageState, forcedWhy: string | undefined): ResumeStep {
  const id = stage.id;
  const started = stage.attempt > 0;
  if (forcedWhy !== undefined) {
    return { stage: id, action: started ? 'rerun' : 'run', reason: forcedWhy };
  }
  const why = stage.reason === undefined ? '' : `: ${stage.reason}`;
  switch (stage.status) {
    case 'succeeded':
      return stage.upToDate === undefined
        ? { stage: id, action: 'skip', reason: `succeeded in attempt ${stage.attempt}` }
        : {
            stage: id,
            action: 'skip',
            reason: `up to date (reused the success of run ${stage.upToDate})`,
          };
    case 'failed':
      return { stage: id, action: 'rerun', reason: `failed in attempt ${stage.attempt}${why}` };
    case 'cancelled':
      if (isAttachable(stage)) {
        const where = stage.handle.where === undefined ? '' : ` on ${stage.handle.where}`;
        return {
          stage: id,
          action: 'attach',
          reason: `attempt ${stage.attempt} was left running${where} (${stage.handle.executor} job ${stage.handle.id}): re-attach to it`,
        };
      }
      return started
        ? { stage: id, action: 'rerun', reason: `did not finish attempt ${stage.attempt}${why}` }
        : { stage: id, action: 'run', reason: `never started (cancelled before it could)` };
    case 'retrying':
      return {
        stage: id,
        action: 'rerun',
        reason: `was waiting to retry after attempt ${stage.attempt}${why}`,
      };
    case 'running':
    case 'waiting':
      return { stage: id, action: 'rerun', reason: `was running attempt ${stage.attempt}` };
    case 'pending':
    case 'ready':
    case 'waitingForPool':
    case 'skipped':
      return started
        ? {
            stage: id,
            action: 'rerun',
            reason: `did not finish after attempt ${stage.attempt}${why}`,
          }
        : { stage: id, action: 'run', reason: `never started${why}` };
    default: {
      const never: never = stage.status;
      throw new Error(`unknown stage status ${String(never)}`);
    }
  }
}

/**
 * Whether a cancelled stage's attempt may still run: its executor keeps it
 * apart from the engine (a detached handle) and nobody asked to kill it (it
 * was cancelled by an interruption, not a stop).
 */
function isAttachable(
  stage: StageState,
): stage is StageState & { readonly handle: NonNullable<StageState['handle']> } {
  return stage.handle?.detached === true && stage.killRequested === undefined;
}

/**
 * Plans how a stopped run resumes: each stage is skipped when it succeeded
 * (never re-run unless forced), re-attached when its interrupted attempt
 * lives on in a detached executor, re-run when an attempt of it failed or did not
 * finish, or run when it never started. Stages named in `rerun`, and every
 * stage that depends on them, run again. Unknown stage names make the plan
 * not resumable.
 */
export function planResume(state: RunState, options: ResumeOptions = {}): ResumePlan {
  const rerun = options.rerun ?? [];
  const known = new Set(state.pipeline.stages.map((s) => s.id));
  const unknown = rerun.filter((id) => !known.has(id));
  const forced = forcedStages(
    state.pipeline,
    rerun.filter((id) => known.has(id)),
  );
  const stages = state.pipeline.stages.flatMap((spec) => {
    const stage = state.stages[spec.id];
    return stage === undefined ? [] : [stepFor(stage, forced.get(spec.id))];
  });
  const blocked =
    notResumable(state) ??
    (unknown.length > 0
      ? `unknown stage ${unknown.map((id) => `'${id}'`).join(', ')} in rerun`
      : undefined);
  return blocked === undefined
    ? { resumable: true, stages }
    : { resumable: false, reason: blocked, stages };
}
