import { planResume } from '@baton/core';
import type { AnswerValue, ResumePlan, RunState } from '@baton/core';
import type { RunStore } from '../../store/runStore';
import type { Clock } from '../clock';
import { EngineError } from '../engineErrors';
import { markInterrupted } from './interruptedRuns';
import { loadPipeline } from '../pipelineFile';
import { loadRunState, reapLeftoverProcesses } from './runRecovery';
import { restoreSecretEnv, restoreSecretInputs } from '../run/secretInputs';
import { explainRederived, stagesToRederive } from './secretOutputs';

/** A run made ready for resuming: its state, the plan it follows and the `rerun` that plan needs. */
export interface PreparedResume {
  readonly state: RunState;
  readonly plan: ResumePlan;
  readonly rerun?: readonly string[];
}

/**
 * Brings a run the caller now owns up to date for resuming: kills what a
 * dead owner left running, marks it interrupted if it was still active, puts
 * back its secret inputs and plans the resume. Throws `invalidState` when it
 * cannot be resumed.
 */
export async function prepareResume(
  store: RunStore,
  clock: Clock,
  runId: string,
  options: {
    readonly rerun?: readonly string[];
    /** Values of secret inputs, which are never stored and must be given again. */
    readonly inputs?: Readonly<Record<string, AnswerValue>>;
  },
): Promise<PreparedResume> {
  const { rerun } = options;
  const secretInputs = options.inputs ?? {};
  const loaded = await loadWhileReaping(store, runId);
  const state = await markInterrupted(store, loaded, clock, 'its owner is gone');
  if (state.status === 'queued') {
    // Its owner died before the run's start reached the event log (stages
    // start only after that, so none ran): resuming it means starting it.
    const restored = await restoreSecretEnv(restoreSecretInputs(state, secretInputs), loadPipeline);
    return { state: restored, plan: planNeverStarted(state) };
  }
  const { plan, forced } = planWithSecrets(state, rerun);
  if (!plan.resumable) {
    throw new EngineError('invalidState', `run ${runId} cannot be resumed: ${plan.reason ?? ''}`);
  }
  const restored = await restoreSecretEnv(restoreSecretInputs(state, secretInputs), loadPipeline);
  return forced ? { state: restored, plan, rerun: forced } : { state: restored, plan };
}

/**
 * The run's latest state, read while what its dead owner left running is
 * killed: reading the files overlaps the search through the process table.
 * Both finish before this returns, so no new stage can start next to an
 * orphan, and nothing is written until then. The files read are written only
 * by an owner, and the caller now is the only one.
 */
async function loadWhileReaping(store: RunStore, runId: string): Promise<RunState> {
  const loading = loadRunState(store, runId);
  const [reaped, loaded] = await Promise.allSettled([reapLeftoverProcesses(runId), loading]);
  if (reaped.status === 'rejected') throw reaped.reason;
  if (loaded.status === 'rejected') throw loaded.reason;
  return loaded.value;
}

/** The plan of a queued run whose owner died before it started: every stage runs. */
function planNeverStarted(state: RunState): ResumePlan {
  const reason = 'never started: the run was stopped before its start was recorded';
  return {
    resumable: true,
    stages: state.pipeline.stages.map((spec) => ({ stage: spec.id, action: 'run', reason })),
  };
}

/**
 * `planResume`, plus the succeeded stages whose outputs held a secret and are
 * still needed (see `stagesToRederive`); `forced` is what `runResumed` must
 * be given as `rerun` to follow exactly this plan.
 */
export function planWithSecrets(
  state: RunState,
  rerun: readonly string[] | undefined,
): { plan: ResumePlan; forced: readonly string[] | undefined } {
  const rederived = stagesToRederive(state).filter((id) => !(rerun ?? []).includes(id));
  const all = [...(rerun ?? []), ...rederived];
  const forced = all.length > 0 ? all : undefined;
  const plan = planResume(state, forced ? { rerun: forced } : {});
  return { plan: explainRederived(plan, rederived), forced };
}
