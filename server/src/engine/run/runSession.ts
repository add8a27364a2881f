import type { AnswerValue, Pipeline, Progress, RunState, RunStatus, StageSpec } from '@baton/core';
import * as path from 'node:path';
import type { SpawnStageOptions, StageProcess } from '../../process/spawnStage';
import type { InboxMessage } from '../../store/inbox';
import type { Lock } from '../../store/lock';
import type { RunStore } from '../../store/runStore';
import { attemptFiles } from '../attempt/attemptFiles';
import type { Clock } from '../clock';
import type { EngineEvents } from '../engineEvents';
import { givenInputNote } from './answerNote';
import { InboxWatcher } from './inboxWatcher';
import { RunLog } from './runLog';
import { Masker } from '../../output/masker';
import { RunController } from './runController';
import type { AttemptControl, AttemptEffect } from './runController';
import type { ExecutorSet } from '../../executor/stageExecutor';
import type { AttemptSettings } from '../attempt/attemptDeps';
import { StageAttempt } from '../attempt/stageAttempt';
import { StoreRecorder } from './storeRecorder';
import { RunPoolSlots } from './runPoolSlots';
import type { TypedEmitter } from '../typedEmitter';
import type { StageWatch } from '../attempt/watchFiles';
import { RunIncremental } from '../../incremental/runIncremental';
import type { RecordStore } from '../../incremental/recordStore';
import { debugRuntimeOf } from '../debug/debugLaunch';
import type { StageDebugRuntime } from '../debug/debugLaunch';

// Each run pipeline's declarations by id: a fan-out of 10,000 units must not
// make every spawn a walk of 10,000 declarations.
const declarations = new WeakMap<Pipeline, ReadonlyMap<string, StageSpec>>();

/** A stage's (or unit's) declaration in the run's own pipeline. */
function declarationOf(pipeline: Pipeline, stage: string): StageSpec | undefined {
  let index = declarations.get(pipeline);
  if (index === undefined) {
    index = new Map(pipeline.stages.map((spec) => [spec.id, spec]));
    declarations.set(pipeline, index);
  }
  return index.get(stage);
}

/** Starts tailing a stage's `watch:` globs. */
export type WatchStarter = (
  patterns: readonly string[],
  cwd: string,
  onText: (text: string) => void,
  onProgress: (progress: Progress) => void,
) => StageWatch;

/** The engine's shared services, handed to every run it owns. */
export interface SessionServices {
  readonly store: RunStore;
  readonly clock: Clock;
  readonly emitter: TypedEmitter<EngineEvents>;
  readonly settings: AttemptSettings;
  readonly baseEnv: Readonly<Record<string, string | undefined>>;
  /** Starts local stage processes (`spawnStage`; tests may stand in): the local executor's. */
  readonly spawn: (options: SpawnStageOptions) => StageProcess;
  /** Where stages run, chosen per stage from its `executor:`. */
  readonly executors: ExecutorSet;
  readonly readOutputs: (file: string) => Promise<Record<string, string>>;
  readonly startWatching: WatchStarter;
  /** The record of what succeeded under which fingerprint (incremental runs). */
  readonly record: RecordStore;
}

/** Variables a run adds to the engine's environment. */
export interface RunEnv {
  /** From the pipeline's dotenv file; the environment wins over them. */
  readonly file: Readonly<Record<string, string>>;
  /** Secrets given with the request (see `givenSecrets.ts`), held in memory only; they win. */
  readonly secrets: Readonly<Record<string, string>>;
}

/** The locks a session holds while it runs. */
export interface SessionLocks {
  readonly owner: Lock;
  readonly pipeline: Lock;
}

/**
 * A run this process owns: its controller, recorder, inbox and locks. It
 * lets go of everything (locks released, inbox closed) once the run reaches a
 * final or resumable status, and then resolves `finished`.
 */
export class RunSession {
  readonly controller: RunController;
  readonly masker: Masker;
  readonly finished: Promise<RunStatus>;
  private readonly inbox: InboxWatcher;
  private readonly runLog: RunLog;
  /** The environment the run's stages start from, as it was when this process took the run. */
  private readonly baseEnv: Readonly<Record<string, string | undefined>>;
  private recordingFailure: string | undefined;
  private readonly incremental: RunIncremental;
  private readonly pools: RunPoolSlots;
  private resolveFinished: (status: RunStatus) => void = () => undefined;
  /** The stage whose next attempt runs under a debugger ("Debug Stage"), until it starts. */
  private debugNext: string | undefined;
  /** Attempts that ran under a debugger (`stage#attempt`): their successes are not recorded. */
  private readonly debugged = new Set<string>();

  private constructor(
    private readonly services: SessionServices,
    state: RunState,
    private readonly recorder: StoreRecorder,
    private readonly locks: SessionLocks,
    private readonly onReleased: () => void,
    runEnv: RunEnv,
    debugStage: string | undefined,
  ) {
    this.debugNext = debugStage;
    this.finished = new Promise((resolve) => (this.resolveFinished = resolve));
    // A plain copy, taken once per run: reading `process.env` goes through an
    // accessor per variable, which every stage's environment would pay again.
    // The pipeline's dotenv file fills in what the environment does not set;
    // secrets given with the request win (someone typed them for this run).
    this.baseEnv = { ...runEnv.file, ...services.baseEnv, ...runEnv.secrets };
    this.masker = createMasker(state.pipeline, state, this.baseEnv);
    this.incremental = new RunIncremental(
      services.record,
      state.pipeline,
      this.masker,
      (message) => services.emitter.emit('problem', { runId: state.runId, message }),
      () => services.clock.now(),
    );
    this.runLog = new RunLog(state.runId, services.store, this.masker, services.emitter);
    this.pools = new RunPoolSlots({
      paths: services.store.paths,
      runId: state.runId,
      pools: state.pipeline.pools ?? {},
      dispatch: (event) => this.controller.dispatch(event).accepted,
      now: () => services.clock.now(),
      onProblem: (message) => services.emitter.emit('problem', { runId: state.runId, message }),
    });
    this.controller = new RunController({
      state,
      clock: services.clock,
      masker: this.masker,
      recorder,
      emitter: services.emitter,
      startAttempt: (effect, controller) => this.startAttempt(effect, controller),
      release: () => this.release(),
      incremental: {
        check: (effect, run) => this.incremental.check(effect, run),
        // A debugger can change what a stage computes, so a debugged
        // success is no evidence for skipping the stage next time.
        record: (effect, state) => {
          if (!this.debugged.has(`${effect.stage}#${effect.attempt}`))
            this.incremental.record(effect, state);
        },
        drain: () => this.incremental.drain(),
      },
      noteRun: (text) => this.runLog.note(text),
      pools: this.pools,
      onFinished: (status) => this.resolveFinished(status),
    });
    this.inbox = new InboxWatcher(
      services.store,
      state.runId,
      (message) => this.onInboxMessage(message),
      (message) => services.emitter.emit('problem', { runId: state.runId, message }),
    );
  }

  /** Opens the run's event log and makes a session for `state`; the run does not move until an event is dispatched. */
  static async open(
    services: SessionServices,
    state: RunState,
    locks: SessionLocks,
    onReleased: () => void,
    runEnv: RunEnv = { file: {}, secrets: {} },
    debugStage?: string,
  ): Promise<RunSession> {
    // Bound once the session exists; a write can only fail after that.
    let onFailure = (_message: string): void => undefined;
    const events = await services.store.openEventLog(state.runId, {
      // Appends must follow the state's last event, on resume as on a new run.
      lastSeq: state.seq,
      onError: (error) => onFailure(`event log: ${error.message}`),
    });
    const recorder = new StoreRecorder(services.store, events, (message) => onFailure(message));
    const session = new RunSession(
      services,
      state,
      recorder,
      locks,
      onReleased,
      runEnv,
      debugStage,
    );
    onFailure = (message) => session.recordingFailed(message);
    // The first checkpoint is on disk before anything runs: a crash at any later
    // moment leaves a run that `status` and `resume` can read.
    await services.store.writeCheckpoint(state.runId, session.masker.maskValue(state));
    locks.owner.heartbeat();
    locks.pipeline.heartbeat();
    session.inbox.start();
    return session;
  }

  get runId(): string {
    return this.controller.runId;
  }

  /**
   * Notes in the run's log the inputs given with the request that started
   * or resumed the run (`by` says where from), as it notes answers to input prompts.
   */
  noteGivenInputs(
    inputs: Readonly<Record<string, AnswerValue>>,
    by: string,
    when: 'started' | 'resumed' = 'started',
  ): void {
    const { pipeline, inputs: values } = this.controller.state;
    for (const spec of pipeline.inputs) {
      // The value as the run took it (read for the input's type), not as it was sent.
      const value = Object.hasOwn(inputs, spec.id) ? values[spec.id] : undefined;
      if (value !== undefined)
        this.runLog.note(givenInputNote(spec.id, value, by, spec.secret === true, when));
    }
  }

  /** Settles once every event accepted so far is in the run's event log. */
  eventsWritten(): Promise<void> {
    return this.recorder.eventsWritten();
  }

  private startAttempt(effect: AttemptEffect, controller: RunController): AttemptControl {
    const { services } = this;
    const pipeline = controller.state.pipeline;
    const spec = declarationOf(pipeline, effect.stage);
    if (!spec) throw new Error(`the core asked to spawn unknown stage ${effect.stage}`);
    const pipelineDir = path.dirname(path.resolve(pipeline.file));
    const cwd = path.resolve(
      pipelineDir,
      (effect.type === 'spawnStage' ? effect.cwd : spec.cwd) ?? '.',
    );
    const debug = this.debugRuntime(effect);
    return new StageAttempt({
      ...(debug === undefined ? {} : { debug }),
      controller,
      effect,
      spec,
      files: attemptFiles(
        services.store.paths,
        controller.runId,
        effect.stage,
        effect.attempt,
        cwd,
      ),
      pipelineDir,
      clock: services.clock,
      masker: this.masker,
      emitter: services.emitter,
      baseEnv: this.baseEnv,
      settings: services.settings,
      executor: services.executors.forStage(spec.executor),
      readOutputs: services.readOutputs,
      recorded: () => this.recorder.eventsWritten(),
      digest: (outputs, exported) =>
        this.incremental.digest(effect.stage, effect.attempt, outputs, exported, cwd),
      startWatching: (watchCwd, onText, onProgress) =>
        spec.watch.length === 0
          ? { ready: Promise.resolve(), stop: async () => undefined }
          : services.startWatching(spec.watch, watchCwd, onText, onProgress),
    });
  }

  /** The runtime to debug this attempt under: the debugged stage's first new attempt only. */
  private debugRuntime(effect: AttemptEffect): StageDebugRuntime | undefined {
    if (effect.type !== 'spawnStage' || effect.stage !== this.debugNext) return undefined;
    this.debugNext = undefined;
    const runtime = debugRuntimeOf(effect.command);
    if (runtime !== undefined) this.debugged.add(`${effect.stage}#${effect.attempt}`);
    return runtime;
  }

  /**
   * The run's events or checkpoint could not be written (a full disk, say).
   * Nothing more may happen that the log would not show, so the run is
   * interrupted at once: its stages are ended, and it is recorded as
   * interrupted as far as the disk still allows. `resume` continues it.
   */
  private recordingFailed(message: string): void {
    const { emitter } = this.services;
    emitter.emit('problem', { runId: this.runId, message });
    if (this.recordingFailure !== undefined) return;
    this.recordingFailure = message;
    // A run already ending stops nothing more; its event log still says how it ended.
    if (this.controller.finished !== undefined) return;
    emitter.emit('problem', {
      runId: this.runId,
      message: `run ${this.runId} cannot be recorded any more, so it is stopped (resume it once the state directory can be written again)`,
    });
    void this.controller.interrupt(`its state could not be recorded: ${message}`);
  }

  private onInboxMessage(message: InboxMessage): void {
    const at = this.services.clock.now();
    switch (message.kind) {
      case 'answer': {
        // As for an answer given to the engine itself: a secret is masked before its event is logged.
        if (this.controller.state.prompts[message.promptId]?.secret === true) {
          const { value } = message;
          this.masker.add(Array.isArray(value) ? value.join(',') : String(value));
        }
        const result = this.controller.dispatch({
          type: 'promptAnswered',
          promptId: message.promptId,
          value: message.value,
          by: message.by,
          at,
        });
        if (!result.accepted) {
          this.services.emitter.emit('problem', {
            runId: this.runId,
            message: `answer from ${message.by} to ${message.promptId} ignored: ${result.reason}`,
          });
        }
        return;
      }
      case 'stop':
        this.controller.dispatch(
          message.reason === undefined
            ? { type: 'cancelRequested', at }
            : { type: 'cancelRequested', at, reason: message.reason },
        );
        return;
      default: {
        const never: never = message;
        throw new Error(`unknown inbox message ${JSON.stringify(never)}`);
      }
    }
  }

  /** Stops the inbox, closes the run's log and lets go of the locks; never rejects. */
  private async release(): Promise<void> {
    await this.inbox.stop().catch(() => undefined);
    await this.pools.releaseAll().catch(() => undefined);
    await this.runLog.close();
    await Promise.all([
      this.locks.pipeline.release().catch(() => false),
      this.locks.owner.release().catch(() => false),
    ]);
    this.onReleased();
  }
}

/** A masker primed with the run's secrets: secret environment variables and secret inputs. */
function createMasker(
  pipeline: Pipeline,
  state: RunState,
  baseEnv: Readonly<Record<string, string | undefined>>,
): Masker {
  const masker = new Masker();
  for (const name of pipeline.secretEnv) {
    const value = pipeline.env[name] ?? baseEnv[name];
    if (value !== undefined) masker.add(value);
  }
  for (const spec of pipeline.inputs) {
    const value = state.inputs[spec.id];
    if (spec.secret === true && value !== undefined) {
      masker.add(Array.isArray(value) ? value.join(',') : String(value));
    }
  }
  return masker;
}
