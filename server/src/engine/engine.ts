import { isStoppedRunStatus, snapshot } from '@baton/core';
import type {
  AnswerValue,
  Pipeline,
  ResumePlan,
  RunSelection,
  RunSnapshot,
  RunState,
} from '@baton/core';
import { RecordStore } from '../incremental/recordStore';
import type { NewRunOptions } from './newRunState';
import { newRunState } from './newRunState';
import type { RunPlan } from '../incremental/runPlanner';
import { planRun } from '../incremental/runPlanner';
import type { StatWitness } from '../incremental/statWitness';
import * as os from 'node:os';
import * as path from 'node:path';
import { spawnStage } from '../process/spawnStage';
import type { SpawnStageOptions } from '../process/spawnStage';
import { SPAWNER_VARIABLE, warmSpawner } from '../process/stageSpawner';
import { createExecutorSet } from '../executor/executorSet';
import { createLocalExecutor } from '../executor/localExecutor';
import { requireExecutors } from '../executor/executorCheck';
import { isRunOwnerAlive } from '../store/lock';
import type { Lock } from '../store/lock';
import { newRunId } from '../store/runId';
import { takeRunNumber } from '../store/runNumbers';
import { RunStore } from '../store/runStore';
import { systemClock } from './clock';
import { defaultOutputServices } from './defaultServices';
import { RunFiles } from './runFiles';
import type { EngineEvents } from './engineEvents';
import { describeOwner, EngineError } from './engineErrors';
import { DEFAULT_ATTEMPT_SETTINGS } from './engineOptions';
import type { EngineOptions } from './engineOptions';
import { recoverInterruptedRuns, recoverOrphanedRun } from './recovery/interruptedRuns';
import { loadPipeline } from './pipelineFile';
import { bundleBuildId, ParsedPipelines } from './parsedPipelines';
import { readPipelineEnvFile } from './run/envFile';
import { takePipelineLock } from './run/pipelineLocking';
import type { GivenAnswer } from './promptLookup';
import { findPrompt, listOpenPrompts, typedAnswer } from './promptLookup';
import { planWithSecrets, prepareResume } from './recovery/resumePreparation';
import { LoadedRunStates } from './recovery/loadedRunStates';
import { RunSession } from './run/runSession';
import type { RunEnv, SessionServices } from './run/runSession';
import { checkGivenSecrets } from './run/givenSecrets';
import type { SecretOptions } from './run/givenSecrets';
import type { ResumeHandle, RunHandle, StopOutcome } from './runHandle';
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

  constructor(options: EngineOptions) {
    this.store = new RunStore(options.stateDir);
    this.files = new RunFiles(this.store);
    this.parsed = new ParsedPipelines(options.stateDir, options.buildId ?? bundleBuildId());
    this.emitter = new TypedEmitter((error) =>
      this.emitter.emit('problem', { message: `a listener failed: ${String(error)}` }),
    );
    this.loaded = new LoadedRunStates(this.store, this.emitter);
    this.defaultConcurrency = options.defaultConcurrency ?? Math.max(1, os.availableParallelism());
    // With `BATON_SPAWNER=1`, stages start through the small spawner process
    // instead of a fork of the engine (stageSpawner.ts; off by default: see
    // docs/benchmarks.md, "Issue 13: per-item start-up").
    this.spawnsStages =
      options.services?.spawn === undefined && process.env[SPAWNER_VARIABLE] === '1';
    const spawner = this.spawnsStages;
    const spawn =
      options.services?.spawn ??
      ((launch: SpawnStageOptions) => spawnStage({ ...launch, spawner }));
    this.executorTypes = new Set(['local', ...(options.executors ?? []).map((e) => e.type)]);
    this.services = {
      store: this.store,
      clock: options.clock ?? systemClock,
      emitter: this.emitter,
      settings: { ...DEFAULT_ATTEMPT_SETTINGS, ...options.settings },
      baseEnv: options.baseEnv ?? process.env,
      spawn,
      executors: createExecutorSet(createLocalExecutor(spawn), options.executors),
      record: new RecordStore(options.stateDir),
      ...defaultOutputServices(),
      ...options.services,
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
  async startRun(
    options: {
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
    } & SecretOptions,
  ): Promise<RunHandle> {
    this.warmSpawner();
    const pipeline = await loadPipeline(options.file, this.parsed);
    options.checkPipeline?.(pipeline);
    const runEnv = await this.runEnvOf(pipeline, options);
    const clock = this.services.clock;
    const runId = newRunId(clock.now());
    // Inputs are checked before waiting for the lock; the number is taken while holding it.
    const unnumbered = this.createState(runId, pipeline, options);
    const locking = await takePipelineLock(this.store, pipeline, runId, (message) =>
      this.emitter.emit('notice', { runId, message }),
    );
    let ownerLock: Lock | undefined;
    try {
      const state: RunState = {
        ...unnumbered,
        number: await takeRunNumber(this.store, pipeline.id),
      };
      await this.store.createRun(runId);
      const owner = await this.store.acquireRunOwner(runId);
      if (!owner.acquired)
        throw new EngineError('busy', `run ${runId} is owned by ${describeOwner(owner.owner)}`);
      ownerLock = owner.lock;
      const session = await this.openSession(
        state,
        { owner: owner.lock, pipeline: locking.lock },
        runEnv,
        options.debugStage,
      );
      if (options.inputs !== undefined && options.inputsBy !== undefined)
        session.noteGivenInputs(options.inputs, options.inputsBy);
      session.controller.dispatch({ type: 'runStarted', at: clock.now() });
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
  async resumeRun(
    runId: string,
    options: SecretOptions & {
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
    },
  ): Promise<ResumeHandle> {
    this.warmSpawner();
    if (this.sessions.has(runId))
      throw new EngineError('invalidState', `run ${runId} is already running here`);
    await this.requireRun(runId);
    const owner = await this.store.acquireRunOwner(runId);
    if (!owner.acquired) {
      const who = describeOwner(owner.owner);
      throw new EngineError('busy', `run ${runId} is still running (${who})`, [], owner.owner);
    }
    let pipelineLock: Lock | undefined;
    try {
      const prepared = await prepareResume(this.store, this.services.clock, runId, options);
      const { plan } = prepared;
      // A run that never started takes this launch's interactivity, as `runResumed` would.
      const state =
        prepared.state.status === 'queued'
          ? { ...prepared.state, interactive: options.interactive }
          : prepared.state;
      const runEnv = await this.runEnvOf(state.pipeline, options);
      const locking = await takePipelineLock(this.store, state.pipeline, runId, (message) =>
        this.emitter.emit('notice', { runId, message }),
      );
      pipelineLock = locking.lock;
      const session = await this.openSession(
        state,
        { owner: owner.lock, pipeline: locking.lock },
        runEnv,
        options.debugStage,
      );
      options.beforeResume?.(plan, session.masker.maskValue(state));
      if (options.inputs !== undefined && options.inputsBy !== undefined)
        session.noteGivenInputs(options.inputs, options.inputsBy, 'resumed');
      this.dispatchResume(session, state.status === 'queued', prepared.rerun, options.interactive);
      const { pipeline } = state;
      return { runId, pipeline, notes: locking.notes, finished: session.finished, plan };
    } catch (error) {
      if (!this.sessions.has(runId)) {
        await Promise.all([
          owner.lock.release().catch(() => false),
          pipelineLock?.release().catch(() => false),
        ]);
      }
      throw error;
    }
  }

  /** Sets a resumed run going: a run that never started starts, any other resumes. */
  private dispatchResume(
    session: RunSession,
    neverStarted: boolean,
    rerun: readonly string[] | undefined,
    interactive: boolean,
  ): void {
    const at = this.services.clock.now();
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
    const prompt = findPrompt(state, promptId);
    if (!prompt)
      throw new EngineError(
        'notFound',
        `run ${runId} has no open prompt ${promptId}; ${listOpenPrompts(state)}`,
      );
    const value = typedAnswer(prompt, answer);
    if (!session) {
      const owner = await this.store.readRunOwner(runId);
      if (!owner || !isRunOwnerAlive(owner)) {
        throw new EngineError(
          'invalidState',
          `run ${runId} is not running (its owner is gone); resume it with \`baton resume ${runId}\``,
        );
      }
      await this.store.writeInboxMessage(runId, { kind: 'answer', promptId: prompt.id, value, by });
      return 'sent';
    }
    if (prompt.secret === true)
      session.masker.add(Array.isArray(value) ? value.join(',') : String(value));
    const result = session.controller.dispatch({
      type: 'promptAnswered',
      promptId: prompt.id,
      value,
      by,
      at: this.services.clock.now(),
    });
    if (!result.accepted)
      throw new EngineError('invalidState', `answer to ${prompt.id} refused: ${result.reason}`);
    return 'answered';
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

  /**
   * The dotenv file's variables and the given secrets, checked (see
   * `checkGivenSecrets`); throws first when a stage names an executor that is
   * not configured here.
   */
  private async runEnvOf(pipeline: Pipeline, options: SecretOptions): Promise<RunEnv> {
    // Checked here, where every start and resume passes before anything of the run moves.
    requireExecutors(pipeline, this.executorTypes);
    const file = await readPipelineEnvFile(pipeline);
    const secrets = checkGivenSecrets(pipeline, { ...file, ...this.services.baseEnv }, options);
    return { file, secrets };
  }

  /** Starts the stage spawner while a run is being prepared, so its first stages need not fork the engine. */
  private warmSpawner(): void {
    if (this.spawnsStages) void warmSpawner();
  }

  private async openSession(
    state: RunState,
    locks: RunSessionLocks,
    runEnv: RunEnv,
    debugStage?: string,
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

type RunSessionLocks = Parameters<typeof RunSession.open>[2];
