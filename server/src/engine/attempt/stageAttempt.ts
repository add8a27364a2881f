import type { KillReason, Progress } from '@baton/core';
import type { AttemptDeps } from './attemptDeps';
import type { ExecutedStage } from '../../executor/stageExecutor';
import { stageLaunchOf } from './stageLaunch';
import { bareQuestionPrompt } from './bareQuestion';
import { shellReadsSilently } from '../../process/silentRead';
import type { QuestionFlags } from './bareQuestion';
import { processTreeSnapshot } from '../../process/processTree';
import type { StageExit } from '../../process/spawnStage';
import { BareInputDetector } from './bareInputDetector';
import { describeHang, stageDiagnosis } from './hangDiagnosis';
import type { StagePrompt } from '../../output/stageOutput';
import { AttemptOutput } from './attemptOutput';
import { ProgressGate } from './progressGate';
import type { AttemptControl } from '../run/runController';
import { collectAttemptResults } from './attemptResults';
import type { AttemptResults } from './attemptResults';
import { stageVenv, venvProblem } from './stageVenv';
import { prepareAttemptFiles } from './attemptFiles';
import { attachToAttempt } from './followedAttempt';
import { relayExecutorReports } from './executorReports';
import type { FollowedAttempt } from './followedAttempt';
import { DebugTargetScanner } from '../debug/debugTargetScanner';

/** Longest wait for the first scan of a stage's `watch:` files before its command runs. */
const WATCH_READY_MS = 2000;

/** No watch here: the executor tails the stage's files where it runs. */
const NO_WATCH = { ready: Promise.resolve(), stop: async () => undefined };

/** One attempt of a stage, from spawn to the reported exit. */
export class StageAttempt implements AttemptControl {
  lastActivityAt: number;
  readonly settled: Promise<void>;
  private process: ExecutedStage | undefined;
  private readonly output: AttemptOutput;
  private readonly detector: BareInputDetector;
  private readonly progress: ProgressGate;
  private abandoned = false;
  private exitedAt: number | undefined;
  private unnamedPrompts = 0;
  private killAsked = false;
  /** Answers on their way to stdin (see writeStdin). */
  private answersInFlight = 0;
  private stdinChain: Promise<void> = Promise.resolve();
  private readonly cwd: string;
  /** Set on a debugged attempt: finds where its debugger is awaited, in its stderr. */
  private readonly debugScanner: DebugTargetScanner | undefined;

  constructor(private readonly deps: AttemptDeps) {
    this.lastActivityAt = deps.clock.now();
    this.output = this.createOutput();
    this.cwd = deps.files.cwd;
    this.debugScanner =
      deps.debug === undefined
        ? undefined
        : new DebugTargetScanner(deps.debug, (target) => {
            const { runId, stage, attempt } = this;
            deps.emitter.emit('debugTarget', { runId, stage, attempt, target });
          });
    this.progress = new ProgressGate(deps.clock, deps.settings.progressIntervalMs, (progress) =>
      this.dispatchProgress(progress),
    );
    this.detector = new BareInputDetector(
      {
        // getpass asks on stderr (its fallback when stdin is no terminal, as for every stage).
        partialLine: () => this.output.partialLine() || this.output.partialLine('stderr'),
        canAsk: () => this.canAsk(),
        readsStdin: () => this.process?.inputWaitState() === 'reading',
      },
      deps.clock,
      deps.settings.bareInputSilenceMs,
      (question) => this.askBareQuestion(question),
    );
    this.settled = this.run().catch((error: unknown) => {
      this.deps.emitter.emit('problem', {
        runId: this.runId,
        message: `stage ${this.stage}: ${String(error)}`,
      });
    });
  }

  private get runId(): string {
    return this.deps.controller.runId;
  }

  private get stage(): string {
    return this.deps.effect.stage;
  }

  private get attempt(): number {
    return this.deps.effect.attempt;
  }

  kill(_reason: KillReason): void {
    this.killAsked = true;
    void this.process?.kill({ graceMs: this.deps.settings.killGraceMs });
  }

  writeStdin(text: string): void {
    // Write-ahead, like the start: the answer reaches the stage only once the
    // event that gave it is written; the chain keeps answers in order. If the
    // log cannot be written the answer is dropped (the run is being stopped).
    // Until it is written the stage still waits on stdin with its question
    // closed: no new question may be read into that wait.
    this.answersInFlight += 1;
    this.stdinChain = this.stdinChain
      .then(() => this.deps.recorded())
      .then(async () => {
        // The question the stage left unfinished ends where its answer goes in.
        this.output.endLine();
        await this.process?.writeStdin(text);
      })
      .catch(() => undefined)
      .finally(() => {
        this.answersInFlight -= 1;
        // The stage may read again without printing anything (a shell `read`).
        this.detector.noteOutput();
      });
    this.lastActivityAt = this.deps.clock.now();
  }

  note(text: string): void {
    // On the stdin chain: after the answer it follows, once the question's line has ended.
    this.stdinChain = this.stdinChain.then(() => this.writeLog(text)).catch(() => undefined);
  }

  diagnose(): void {
    const idleMs = this.deps.clock.now() - this.lastActivityAt;
    const tree = this.process?.pid === undefined ? [] : processTreeSnapshot(this.process.pid);
    const recentLines = this.output.recentLinesMasked();
    const diagnosis = describeHang(idleMs, recentLines, tree);
    this.writeLog(diagnosis.logText);
    const { runId, stage, attempt } = this;
    this.deps.emitter.emit('annotation', {
      runId,
      stage,
      attempt,
      // The process tree's command lines can hold a secret, as the log text can.
      annotation: this.deps.masker.maskValue(diagnosis.annotation),
    });
    if (this.abandoned || this.deps.controller.isInterrupting) return;
    // Into the event log too, so the diagnosis outlives the engine and reaches every client.
    const openPrompt = Object.values(this.deps.controller.state.prompts).find(
      (prompt) => prompt.kind === 'stage' && prompt.stage === stage,
    )?.id;
    this.deps.controller.dispatch({
      type: 'stageDiagnosed',
      stage,
      attempt,
      diagnosis: stageDiagnosis(idleMs, recentLines, tree, openPrompt),
      at: this.deps.clock.now(),
    });
  }

  async abandon(): Promise<void> {
    this.abandoned = true;
    await this.process?.kill({ graceMs: Math.min(this.deps.settings.killGraceMs, 2000) });
    await this.settled;
  }

  private async run(): Promise<void> {
    const { deps } = this;
    const { effect } = deps;
    if (effect.type === 'attachStage') {
      const attached = attachToAttempt(
        {
          ...deps,
          runId: this.runId,
          handle: effect.handle,
          ...(effect.launch === undefined ? {} : { relaunch: stageLaunchOf(deps, effect.launch) }),
        },
        (log) => this.output.attach(log),
      );
      await this.follow(attached);
      return;
    }
    // The attempt's files are made while its process starts and its start is
    // recorded: the command runs only once all of that is done (see openGate).
    // Resolves to why the files could not be made, or undefined.
    const prepared = prepareAttemptFiles(deps.files, (error) =>
      deps.emitter.emit('problem', { runId: this.runId, message: error.message }),
    ).then(
      (log) => {
        this.output.attach(log);
        const venv = stageVenv(deps.spec, deps.pipelineDir);
        return venv === undefined ? undefined : venvProblem(venv);
      },
      (error: unknown) => `could not prepare the stage's files: ${String(error)}`,
    );
    // The events before this start (the run's start, the exit of the stage
    // before) are written while the process starts and the files are made:
    // whoever hears that this stage started finds the run recorded as
    // running. A failed write is the gate's to handle.
    const earlierRecorded = deps.recorded().catch(() => undefined);
    // Gated: the process exists (so its start can name its pid, or a remote
    // attempt its handle) but runs the command only once that start is
    // recorded (see openGate).
    const process = deps.executor.launch({ ...stageLaunchOf(deps, effect), gated: true });
    this.process = process;
    // Waiting also leaves the dispatch that asked for this attempt, so the
    // stageStarted dispatched below is logged at once instead of queued
    // behind that dispatch's effects (the gate waits for what is logged).
    // A process the spawner starts names its pid a moment later.
    await Promise.all([earlierRecorded, process.launched]);
    if ((process.pid !== undefined || process.handle !== undefined) && !this.abandoned) {
      deps.controller.dispatch({
        type: 'stageStarted',
        stage: this.stage,
        attempt: this.attempt,
        ...(process.pid === undefined ? {} : { pid: process.pid }),
        ...(process.handle === undefined ? {} : { handle: process.handle }),
        at: deps.clock.now(),
      });
    }
    await this.follow({ process, prepared, gateOpened: this.openGate(process, prepared) });
  }

  /** Reads the attempt's output until it exits, then reports its exit and results. */
  private async follow(followed: FollowedAttempt): Promise<void> {
    const { deps } = this;
    const { prepared, gateOpened } = followed;
    let process: ExecutedStage;
    try {
      process = await followed.process;
    } catch {
      this.exitedAt = deps.clock.now();
      this.report({ error: String(await prepared) }, undefined, undefined);
      return;
    }
    this.process = process;
    process.onWatch?.(
      (text) => this.writeLog(text),
      (progress) => this.onProgress(progress),
    );
    relayExecutorReports(process, {
      stage: this.stage,
      attempt: this.attempt,
      now: () => deps.clock.now(),
      accepts: () => !this.abandoned && !deps.controller.isInterrupting,
      dispatch: (event) => deps.controller.dispatch(event),
    });
    // Output is read once the log is open (the process holds what comes earlier).
    void prepared.then(() => {
      process.onStdout((chunk) => this.onChunk('stdout', chunk));
      process.onStderr((chunk) => this.onChunk('stderr', chunk));
    });
    const exit = await process.exited;
    this.exitedAt = deps.clock.now();
    const failure = await prepared;
    const stopWatching = await gateOpened;
    await stopWatching().catch(() => undefined);
    this.output.end();
    this.detector.dispose();
    this.progress.flush();
    // Closing the log and reading what the stage left are independent; both end before the report.
    const [found] = await Promise.all([
      failure === undefined
        ? collectAttemptResults({ ...deps, declared: deps.spec.outputs }, exit.exitCode)
        : undefined,
      this.output.close(),
    ]);
    const digest =
      found !== undefined && exit.exitCode === 0 && found.missing.length === 0
        ? await deps.digest(found.outputs, found.exported).catch(() => undefined)
        : undefined;
    this.report(failure === undefined ? exit : { error: failure }, found, digest);
  }

  /**
   * Write-ahead: the stage may act only once `stageStarted` (and every event
   * before it) is in the event log, so no stage ever runs without a record
   * that `resume` would see, and only once its files are made. When the log
   * cannot be written or the files cannot be made, the stage is ended before
   * its command ran (the session stops the run when its log fails).
   * Resolves to the function that stops watching the stage's files.
   */
  private async openGate(
    process: ExecutedStage,
    prepared: Promise<string | undefined>,
  ): Promise<() => Promise<void>> {
    let ready: boolean;
    try {
      ready = (await Promise.all([prepared, this.deps.recorded()]))[0] === undefined;
    } catch {
      ready = false;
    }
    if (!ready) {
      void process.kill({ graceMs: 0 });
      return async () => undefined;
    }
    if (this.abandoned || this.killAsked) return async () => undefined;
    // The watch is set up before the command runs, so a directory the stage
    // makes at once is noticed too (the tailer reads files that exist when it
    // starts from their end). A slow first scan delays the start by at most WATCH_READY_MS.
    // An executor that tails the files where the stage runs (a worker's disk) hands their text over (see follow).
    const watch =
      process.onWatch === undefined
        ? this.deps.startWatching(
            this.cwd,
            (text) => this.writeLog(text),
            (progress) => this.onProgress(progress),
          )
        : NO_WATCH;
    await Promise.race([
      watch.ready,
      new Promise((resolve) => setTimeout(resolve, WATCH_READY_MS).unref()),
    ]);
    if (!this.abandoned && !this.killAsked) {
      process.start();
      this.detector.noteOutput();
    }
    return () => watch.stop();
  }

  private report(
    exit: StageExit,
    found: AttemptResults | undefined,
    digest: string | undefined,
  ): void {
    const { controller } = this.deps;
    if (!this.abandoned && !controller.isInterrupting) {
      controller.dispatch({
        type: 'stageExited',
        stage: this.stage,
        attempt: this.attempt,
        ...exit,
        ...(found ? { outputs: found.outputs } : {}),
        ...(found && found.missing.length > 0 ? { missingOutputs: found.missing } : {}),
        ...(found?.exported ? { exported: found.exported } : {}),
        ...(digest === undefined ? {} : { digest }),
        random: Math.random(),
        at: this.exitedAt ?? this.deps.clock.now(),
      });
      const { process } = this;
      void this.deps.recorded().then(
        () => process?.endRecorded?.(),
        () => undefined,
      );
    }
    controller.forgetAttempt(this.stage, this.attempt);
  }

  private onChunk(stream: 'stdout' | 'stderr', chunk: Buffer): void {
    this.lastActivityAt = this.deps.clock.now();
    this.output.push(stream, chunk);
    if (stream === 'stderr') this.debugScanner?.push(chunk);
    this.detector.noteOutput();
  }

  /** Text that is not the stage's own output (a watched file, a diagnosis): masked, to the log and its event. */
  private writeLog(text: string): void {
    this.output.writeLog(text);
  }

  private createOutput(): AttemptOutput {
    const { deps } = this;
    return new AttemptOutput({
      runId: this.runId,
      stage: this.stage,
      attempt: this.attempt,
      masker: deps.masker,
      emitter: deps.emitter,
      onProgress: (progress) => this.onProgress(progress),
      onPrompt: (request) => this.askStagePrompt(request),
      process: () => this.process,
    });
  }

  private onProgress(progress: Progress): void {
    this.lastActivityAt = this.deps.clock.now();
    if (this.exitedAt === undefined) this.progress.offer(progress);
  }

  private dispatchProgress(progress: Progress): void {
    if (this.abandoned || this.deps.controller.isInterrupting) return;
    this.deps.controller.dispatch({
      type: 'stageProgress',
      stage: this.stage,
      attempt: this.attempt,
      progress,
      at: this.deps.clock.now(),
    });
  }

  private canAsk(): boolean {
    if (this.exitedAt !== undefined || this.abandoned || this.answersInFlight > 0) return false;
    const asking = Object.values(this.deps.controller.state.prompts).some(
      (prompt) => prompt.kind === 'stage' && prompt.stage === this.stage,
    );
    // A status line without a newline ("Downloading... ") is no question unless
    // something actually waits on stdin; when /proc cannot tell, the silence decides.
    return !asking && this.process?.inputWaitState() !== 'busy';
  }

  private askBareQuestion(question: string): void {
    const id = this.nextPromptName('input');
    const silentRead = question === '' && this.stdinReadIsSilent();
    this.askStagePrompt(
      bareQuestionPrompt(id, question, this.output.recentLinesMasked(), silentRead),
    );
  }

  /** Whether the stage's stdin is read by a shell's `read -s`: found locally by pid, or as its executor reports. */
  private stdinReadIsSilent(): boolean {
    const process = this.process;
    if (process?.stdinReadIsSilent !== undefined) return process.stdinReadIsSilent();
    const reader = process?.stdinReader();
    return reader !== undefined && shellReadsSilently(reader);
  }

  /** Names for bare questions: `input-1`, `input-2`, … counted per attempt, so a retry asks under the same names. */
  private nextPromptName(prefix: string): string {
    this.unnamedPrompts += 1;
    return `${prefix}-${this.unnamedPrompts}`;
  }

  private askStagePrompt(request: StagePrompt & QuestionFlags): void {
    if (this.exitedAt !== undefined || this.abandoned) return;
    this.deps.controller.dispatch({
      type: 'promptOpened',
      promptId: request.id,
      stage: this.stage,
      attempt: this.attempt,
      message: request.message,
      promptType: request.type,
      ...(request.options ? { options: request.options } : {}),
      ...(request.default !== undefined ? { default: request.default } : {}),
      ...(request.timeoutMs !== undefined ? { timeoutMs: request.timeoutMs } : {}),
      ...(request.secret === true ? { secret: true } : {}),
      ...(request.confirmWords ? { confirmWords: request.confirmWords } : {}),
      ...(request.allowOther === true ? { allowOther: true } : {}),
      at: this.deps.clock.now(),
    });
  }
}
