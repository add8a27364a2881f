import type { AnswerValue, Pipeline, ResumePlan, RunSelection, RunState } from '@baton/core';
import type { Lock } from '../store/lock';
import { takeRunNumber } from '../store/runNumbers';
import type { RunStore } from '../store/runStore';
import type { Clock } from './clock';
import { describeOwner, EngineError } from './engineErrors';
import type { EngineEvents } from './engineEvents';
import { prepareResume } from './recovery/resumePreparation';
import type { SecretOptions } from './run/givenSecrets';
import { takePipelineLock } from './run/pipelineLocking';
import type { LockOutcome } from './run/pipelineLocking';
import type { RunEnv, RunSession, SessionLocks } from './run/runSession';
import type { ResumeHandle, RunHandle } from './runHandle';
import type { TypedEmitter } from './typedEmitter';

/** How `Engine.startRun` is asked to start a run. */
export type StartRunOptions = {
  readonly file: string;
  readonly inputs?: Readonly<Record<string, AnswerValue>>;
  readonly interactive: boolean;
  readonly selection?: RunSelection;
  /** Run this stage's attempt under a debugger (see `debugLaunch.ts`). */
  readonly debugStage?: string;
  /** Called with the loaded pipeline before anything starts; may throw to refuse. */
  readonly checkPipeline?: (pipeline: Pipeline) => void;
  /** Who gave `inputs` (`rpc`, `cli`), noted with each in the run's log. */
  readonly inputsBy?: string;
} & SecretOptions;

/** How `Engine.resumeRun` is asked to resume a run. */
export type ResumeRunOptions = SecretOptions & {
  readonly rerun?: readonly string[];
  /** Run this stage's next attempt under a debugger (see `debugLaunch.ts`). */
  readonly debugStage?: string;
  readonly interactive: boolean;
  /** Values of secret inputs, which are never stored and must be given again. */
  readonly inputs?: Readonly<Record<string, AnswerValue>>;
  /** Who gave `inputs` (`cli`), noted with each in the run's log. */
  readonly inputsBy?: string;
  /** Called with the plan and the state it starts from, just before the run moves. */
  readonly beforeResume?: (plan: ResumePlan, state: RunState) => void;
};

/** What setting a run going needs of its engine. */
export interface RunLaunchDeps {
  readonly store: RunStore;
  readonly clock: Clock;
  /** Told of a wait for the pipeline's lock (`notice`). */
  readonly emitter: TypedEmitter<EngineEvents>;
  /** The run's dotenv variables and given secrets, checked (throws on bad ones). */
  readonly runEnvOf: (pipeline: Pipeline, options: SecretOptions) => Promise<RunEnv>;
  /** Opens the run's session as one the engine owns. */
  readonly openSession: (
    state: RunState,
    locks: SessionLocks,
    runEnv: RunEnv,
    debugStage: string | undefined,
  ) => Promise<RunSession>;
  /** Whether the engine owns the run (its session is open). */
  readonly owns: (runId: string) => boolean;
}

/**
 * Starts a new run from its state before numbering: takes the pipeline's
 * lock (waiting or refusing as the overlap policy says), numbers the run
 * while holding it, creates and owns the run, opens its session and sets it
 * going. Lets go of both locks when anything fails.
 */
export async function launchNewRun(
  deps: RunLaunchDeps,
  pipeline: Pipeline,
  unnumbered: RunState,
  runEnv: RunEnv,
  options: StartRunOptions,
): Promise<RunHandle> {
  const { store } = deps;
  const { runId } = unnumbered;
  const locking = await lockPipeline(deps, pipeline, runId);
  let ownerLock: Lock | undefined;
  try {
    const state: RunState = {
      ...unnumbered,
      number: await takeRunNumber(store, pipeline.id),
    };
    await store.createRun(runId);
    const owner = await store.acquireRunOwner(runId);
    if (!owner.acquired)
      throw new EngineError('busy', `run ${runId} is owned by ${describeOwner(owner.owner)}`);
    ownerLock = owner.lock;
    const session = await deps.openSession(
      state,
      { owner: owner.lock, pipeline: locking.lock },
      runEnv,
      options.debugStage,
    );
    if (options.inputs !== undefined && options.inputsBy !== undefined)
      session.noteGivenInputs(options.inputs, options.inputsBy);
    session.controller.dispatch({ type: 'runStarted', at: deps.clock.now() });
    return { runId, pipeline, notes: locking.notes, finished: session.finished };
  } catch (error) {
    await Promise.all([
      locking.lock.release().catch(() => false),
      ownerLock?.release().catch(() => false),
    ]);
    throw error;
  }
}

/**
 * Resumes a run the caller just took ownership of (`ownerLock`): prepares it
 * (`prepareResume`), takes the pipeline's lock, opens its session and sets it
 * going. Lets go of both locks when anything fails before the session opened.
 */
export async function launchResume(
  deps: RunLaunchDeps,
  runId: string,
  ownerLock: Lock,
  options: ResumeRunOptions,
): Promise<ResumeHandle> {
  let pipelineLock: Lock | undefined;
  try {
    const prepared = await prepareResume(deps.store, deps.clock, runId, options);
    const { plan } = prepared;
    // A run that never started takes this launch's interactivity, as `runResumed` would.
    const state =
      prepared.state.status === 'queued'
        ? { ...prepared.state, interactive: options.interactive }
        : prepared.state;
    const runEnv = await deps.runEnvOf(state.pipeline, options);
    const locking = await lockPipeline(deps, state.pipeline, runId);
    pipelineLock = locking.lock;
    const session = await deps.openSession(
      state,
      { owner: ownerLock, pipeline: locking.lock },
      runEnv,
      options.debugStage,
    );
    options.beforeResume?.(plan, session.masker.maskValue(state));
    if (options.inputs !== undefined && options.inputsBy !== undefined)
      session.noteGivenInputs(options.inputs, options.inputsBy, 'resumed');
    const neverStarted = state.status === 'queued';
    dispatchResume(deps.clock, session, neverStarted, prepared.rerun, options.interactive);
    const { pipeline } = state;
    return { runId, pipeline, notes: locking.notes, finished: session.finished, plan };
  } catch (error) {
    if (!deps.owns(runId)) {
      await Promise.all([
        ownerLock.release().catch(() => false),
        pipelineLock?.release().catch(() => false),
      ]);
    }
    throw error;
  }
}

/** Takes the pipeline's run lock for `runId`, telling listeners of a wait. */
function lockPipeline(
  deps: RunLaunchDeps,
  pipeline: Pipeline,
  runId: string,
): Promise<LockOutcome> {
  return takePipelineLock(deps.store, pipeline, runId, (message) =>
    deps.emitter.emit('notice', { runId, message }),
  );
}

/** Sets a resumed run going: a run that never started starts, any other resumes. */
function dispatchResume(
  clock: Clock,
  session: RunSession,
  neverStarted: boolean,
  rerun: readonly string[] | undefined,
  interactive: boolean,
): void {
  const at = clock.now();
  if (neverStarted) {
    session.controller.dispatch({ type: 'runStarted', at });
    return;
  }
  session.controller.dispatch(
    rerun
      ? { type: 'runResumed', at, rerun, interactive }
      : { type: 'runResumed', at, interactive },
  );
}
