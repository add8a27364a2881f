import { isStoppedRunStatus, snapshot } from '@baton/core';
import type {
  AnswerValue,
  Pipeline,
  ResumePlan,
  RunSelection,
  RunSnapshot,
  RunState,
} from '@baton/core';
import type { NewRunOptions } from './newRunState';
import { newRunState } from './newRunState';
import type { RunPlan } from '../incremental/runPlanner';
import { planRun } from '../incremental/runPlanner';
import type { StatWitness } from '../incremental/statWitness';
import * as os from 'node:os';
import * as path from 'node:path';
import { isRunOwnerAlive } from '../store/lock';
import { newRunId } from '../store/runId';
import { RunStore } from '../store/runStore';
import { RunFiles } from './runFiles';
import type { EngineEvents } from './engineEvents';
import { describeOwner, EngineError } from './engineErrors';
import type { EngineOptions } from './engineOptions';
import { recoverInterruptedRuns, recoverOrphanedRun } from './recovery/interruptedRuns';
import { loadPipeline } from './pipelineFile';
import { bundleBuildId, ParsedPipelines } from './parsedPipelines';
import type { GivenAnswer } from './promptLookup';
import { answerPrompt } from './promptAnswering';
import { planWithSecrets } from './recovery/resumePreparation';
import { LoadedRunStates } from './recovery/loadedRunStates';
import { RunSession } from './run/runSession';
import type { RunEnv, SessionLocks, SessionServices } from './run/runSession';
import { checkedRunEnv } from './run/checkedRunEnv';
import type { SecretOptions } from './run/givenSecrets';
import { launchNewRun, launchResume } from './runLaunch';
import type { ResumeRunOptions, RunLaunchDeps, StartRunOptions } from './runLaunch';
import type { ResumeHandle, RunHandle, StopOutcome } from './runHandle';
import { createSessionServices, warmStageSpawner } from './sessionServices';
import type { Disposable } from './typedEmitter';
import { TypedEmitter } from './typedEmitter';

export { DEFAULT_ATTEMPT_SETTINGS } from './engineOptions';
export type { EngineOptions } from './engineOptions';
export type { ResumeHandle, RunHandle, StopOutcome } from './runHandle';

/**
 * Runs pipelines in this process: starts and resumes runs, carries out the
 * core's effects with real processes and files, accepts answers and stop
 * requests (also from other processes, through each run's inbox), and tells
 * listeners what happens. The CLI and the RPC server both drive one.
 */
export class Engine {
  /** The run files on disk, read only: what the CLI and the RPC handlers read of runs. */
  readonly files: RunFiles;
  private readonly store: RunStore;
  private readonly emitter: TypedEmitter<EngineEvents>;
  private readonly services: SessionServices;
  private readonly sessions = new Map<string, RunSession>();
  private readonly loaded: LoadedRunStates;
  /** Whether stages start through the stage spawner (`BATON_SPAWNER=1`, no test stand-in for `spawn`). */
  private readonly spawnsStages: boolean;
  private readonly parsed: ParsedPipelines;
  private readonly defaultConcurrency: number;
  /** The executor types stages may name here: `local`, and the remote ones configured. */
  private readonly executorTypes: ReadonlySet<string>;
  /** What starting and resuming runs need of this engine (`runLaunch.ts`). */
  private readonly launchDeps: RunLaunchDeps;

  constructor(options: EngineOptions) {
    this.store = new RunStore(options.stateDir);
    this.files = new RunFiles(this.store);
    this.parsed = new ParsedPipelines(options.stateDir, options.buildId ?? bundleBuildId());
    this.emitter = new TypedEmitter((error) =>
      this.emitter.emit('problem', { message: `a listener failed: ${String(error)}` }),
    );
    this.loaded = new LoadedRunStates(this.store, this.emitter);
    this.defaultConcurrency = options.defaultConcurrency ?? Math.max(1, os.availableParallelism());
    this.executorTypes = new Set(['local', ...(options.executors ?? []).map((e) => e.type)]);
    const { services, spawnsStages } = createSessionServices(options, this.store, this.emitter);
    this.services = services;
    this.spawnsStages = spawnsStages;
    this.launchDeps = {
      store: this.store,
      clock: this.services.clock,
      emitter: this.emitter,
      runEnvOf: (pipeline, secrets) => this.runEnvOf(pipeline, secrets),
      openSession: (state, locks, runEnv, debugStage) =>
        this.openSession(state, locks, runEnv, debugStage),
      owns: (runId) => this.sessions.has(runId),
    };
  }

  /** Subscribes to engine events; payloads are masked. */
  on<K extends keyof EngineEvents>(
    name: K,
    listener: (payload: EngineEvents[K]) => void,
  ): Disposable {
    return this.emitter.on(name, listener);
  }

  /** Whether this engine owns (is running) the run. */
  ownsRun(runId: string): boolean {
    return this.sessions.has(runId);
  }

  /**
   * Settles once every event of a run this engine owns, accepted so far, is
   * in its event log (at once for a run it does not own), so a reader of the
   * log sees what `getRunState` showed.
   */
  async eventsWritten(runId: string): Promise<void> {
    await this.sessions.get(runId)?.eventsWritten();
  }

  /** Ids of the runs this engine owns. */
  get ownedRunIds(): string[] {
    return [...this.sessions.keys()];
  }

  /**
   * Starts a run of the pipeline in `file`. Throws an `EngineError`:
   * `invalidPipeline` with diagnostics, `invalidInput` for bad inputs, `busy`
   * when another live process runs the pipeline and the overlap policy says skip.
   * `selection` picks stages and which of them ignore the record (an unknown
   * stage is an `invalidInput`).
   */
  async startRun(options: StartRunOptions): Promise<RunHandle> {
    warmStageSpawner(this.spawnsStages);
    const pipeline = await loadPipeline(options.file, this.parsed);
    options.checkPipeline?.(pipeline);
    const runEnv = await this.runEnvOf(pipeline, options);
    const runId = newRunId(this.services.clock.now());
    // Inputs are checked before waiting for the lock; the number is taken while holding it.
    const unnumbered = this.createState(runId, pipeline, options);
    return launchNewRun(this.launchDeps, pipeline, unnumbered, runEnv, options);
  }

  /**
   * What `startRun` with these options would run and skip, and why, without
   * running anything (`baton run --dry-run`, `baton why`). Inputs without a
   * value take their defaults.
   */
  async planRun(options: {
    readonly file: string;
    readonly inputs?: Readonly<Record<string, AnswerValue>>;
    readonly selection?: RunSelection;
    /** Notes the stat of every file the plan depends on, the pipeline file's first (see `PlanCache`). */
    readonly witness?: StatWitness;
  }): Promise<RunPlan> {
    const { witness, ...rest } = options;
    witness?.look(path.resolve(options.file));
    const pipeline = await loadPipeline(options.file, this.parsed);
    const state = this.createState('plan', pipeline, { ...rest, interactive: false });
    try {
      return await planRun(state, this.services.record, witness);
    } catch (error) {
      throw new EngineError('invalidInput', error instanceof Error ? error.message : String(error));
    }
  }

  /**
   * Resumes an interrupted, failed or cancelled run: marks it interrupted if
   * its owner died, kills processes the dead owner left behind, and follows
   * `planResume` (succeeded stages are never run again; `rerun` forces some).
   */
  async resumeRun(runId: string, options: ResumeRunOptions): Promise<ResumeHandle> {
    warmStageSpawner(this.spawnsStages);
    if (this.sessions.has(runId))
      throw new EngineError('invalidState', `run ${runId} is already running here`);
    await this.requireRun(runId);
    const owner = await this.store.acquireRunOwner(runId);
    if (!owner.acquired) {
      const who = describeOwner(owner.owner);
      throw new EngineError('busy', `run ${runId} is still running (${who})`, [], owner.owner);
    }
    return launchResume(this.launchDeps, runId, owner.lock, options);
  }

  /** The plan `resumeRun` would follow, without resuming. */
  async planResume(runId: string, rerun?: readonly string[]): Promise<ResumePlan> {
    const state = await this.getRunState(runId);
    return planWithSecrets(state, rerun).plan;
  }

  /**
   * Stops a run: here by cancelling it, in another live process through its
   * inbox; a run whose owner is dead is marked interrupted.
   */
  async stopRun(runId: string, by: string, reason?: string): Promise<StopOutcome> {
    const session = this.sessions.get(runId);
    const at = this.services.clock.now();
    if (session) {
      session.controller.dispatch(
        reason === undefined
          ? { type: 'cancelRequested', at }
          : { type: 'cancelRequested', at, reason },
      );
      return 'stopping';
    }
    const state = await this.getRunState(runId);
    if (isStoppedRunStatus(state.status)) return 'alreadyFinished';
    const owner = await this.store.readRunOwner(runId);
    if (owner && isRunOwnerAlive(owner)) {
      await this.store.writeInboxMessage(
        runId,
        reason === undefined ? { kind: 'stop', by } : { kind: 'stop', by, reason },
      );
      return 'requested';
    }
    await this.recoverRun(runId);
    return 'markedInterrupted';
  }

  /**
   * Answers an open prompt. For a run of this engine the answer is checked
   * and applied at once; for a run owned by another live process it is
   * checked against the last checkpoint and handed over through the inbox.
   */
  async answerPrompt(
    runId: string,
    promptId: string,
    answer: GivenAnswer,
    by: string,
  ): Promise<'answered' | 'sent'> {
    const session = this.sessions.get(runId);
    const state = session ? session.controller.state : await this.getRunState(runId);
    const target = { runId, state, session };
    return answerPrompt(this.store, this.services.clock, target, promptId, answer, by);
  }

  /** The current state of a run: live for runs of this engine, else from disk. Masked. */
  async getRunState(runId: string): Promise<RunState> {
    const session = this.sessions.get(runId);
    if (session) return session.controller.maskedState;
    await this.requireRun(runId);
    return this.loaded.load(runId);
  }

  /** A display snapshot of a run (see `getRunState`). */
  async getSnapshot(runId: string): Promise<RunSnapshot> {
    return snapshot(await this.getRunState(runId), this.services.clock.now());
  }

  /**
   * Marks runs whose owner died (crash, `kill -9`, reboot) as interrupted so
   * they show as resumable, and lets the executors take up what earlier
   * orchestrators left them. Returns the ids of the runs it marked.
   */
  async recoverInterruptedRuns(): Promise<string[]> {
    return recoverInterruptedRuns({
      store: this.store,
      files: this.files,
      clock: this.services.clock,
      executors: this.services.executors,
      owns: (runId) => this.sessions.has(runId),
      problem: (message) => this.emitter.emit('problem', { message }),
    });
  }

  /** Interrupts every run of this engine (Ctrl-C, shutdown): stages killed, runs left resumable. */
  async interruptAll(reason: string): Promise<void> {
    await Promise.all(
      [...this.sessions.values()].map(async (session) => {
        await session.controller.interrupt(reason);
        await session.finished;
      }),
    );
  }

  private recoverRun(runId: string): Promise<boolean> {
    return recoverOrphanedRun(this.store, runId, this.services.clock);
  }

  private createState(
    runId: string,
    pipeline: Pipeline,
    options: Omit<NewRunOptions, 'runId' | 'at' | 'defaultConcurrency'>,
  ): RunState {
    const { clock } = this.services;
    const { defaultConcurrency } = this;
    return newRunState(pipeline, { ...options, runId, at: clock.now(), defaultConcurrency });
  }

  /** The run's environment (see `checkedRunEnv`), from this engine's executors and base environment. */
  private runEnvOf(pipeline: Pipeline, options: SecretOptions): Promise<RunEnv> {
    return checkedRunEnv(pipeline, this.executorTypes, this.services.baseEnv, options);
  }

  private async openSession(
    state: RunState,
    locks: SessionLocks,
    runEnv: RunEnv,
    debugStage: string | undefined,
  ): Promise<RunSession> {
    const session = await RunSession.open(
      this.services,
      state,
      locks,
      () => this.sessions.delete(state.runId),
      runEnv,
      debugStage,
    );
    this.sessions.set(state.runId, session);
    return session;
  }

  private async requireRun(runId: string): Promise<void> {
    let exists: boolean;
    try {
      exists = await this.store.hasRun(runId);
    } catch (error) {
      throw new EngineError('notFound', error instanceof Error ? error.message : String(error));
    }
    if (!exists) throw new EngineError('notFound', `no run ${runId} in ${this.store.paths.root}`);
  }
}
