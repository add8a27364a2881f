/**
 * Starts one stage attempt as a real process: `/bin/sh -c <command>` in its own
 * session and process group, stdin kept open for prompt answers, stdout and
 * stderr piped. The stage ends as a whole: when it is killed, and also when its
 * shell exits normally, every process it left behind is ended (stages must not
 * leave daemons behind).
 *
 * The shell is `/bin/sh` rather than bash so a pipeline means the same on every
 * machine (Debian's dash, Alpine's busybox, macOS's bash in POSIX mode); a
 * command that needs bash can say `bash -c '…'` or call a script.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { trackEscapees } from './escapeeTracker';
import type { EscapeeTracking, ProcessRef } from './escapeeTracker';
import { inputWaitState as readInputWaitState, stdinReaderOf, streamIdentity } from './inputWait';
import type { InputWaitState } from './inputWait';
import { describeSpawnError } from './spawnError';
import { gatedScript } from './stageGate';
import { adoptedSince, lookAtAdopters } from './adoptedProcesses';
import type { ChildrenLook } from './adoptedProcesses';
import { forkedChild, isRunning } from './stageChild';
import type { ChildExit, ChildRunning, StageChild } from './stageChild';
import { spawnVia } from './stageSpawner';
import {
  descendantsOf,
  groupExists,
  isDeadState,
  isProcessAlive,
  processesWithEnvironmentEntry,
  readProcess,
  subtreesOf,
} from './processTree';
import type { ProcessInfo } from './processTree';
import { ChunkRelay } from './chunkRelay';
import { registerStage, unregisterStage } from './stageReaper';
import { killMarked, killStageTree } from './treeKiller';
import type { KillResult } from './treeKiller';

/** What to run. */
export interface SpawnStageOptions {
  /** The command line, run by the shell. */
  readonly command: string;
  /** The working directory; a missing directory is reported through `exited`, not thrown. */
  readonly cwd: string;
  /** The complete environment of the stage (the caller merges in `process.env` if it wants it). */
  readonly env: Readonly<Record<string, string>>;
  /** The shell; `/bin/sh` unless given. It is run as `<shell> -c <command>`. */
  readonly shell?: string;
  /** Grace between SIGTERM and SIGKILL for processes left behind after the shell exits. Default 2000. */
  readonly leftoverGraceMs?: number;
  /** How often processes leaving the group are looked for while the stage runs. Default 1000. */
  readonly trackIntervalMs?: number;
  /**
   * Hold the command until `start()` is called: the process (and its pid)
   * exists, but runs nothing of the stage yet. Lets the engine record the
   * start before the stage can have any effect (write-ahead). The wait runs
   * in the stage's own shell, reading a line of its stdin (see `stageGate`),
   * which reserves the variable `BATON_GATE` for it.
   */
  readonly gated?: boolean;
  /**
   * Start the process through the stage spawner (`stageSpawner.ts`) once it
   * runs, instead of forking this process: `pid` is then known only once
   * `launched` settles. The engine asks for it; default false.
   */
  readonly spawner?: boolean;
}

/** How a stage attempt ended. Exactly one of the fields is set. */
export interface StageExit {
  readonly exitCode?: number;
  /** The signal that ended the shell, e.g. `SIGTERM`. */
  readonly signal?: string;
  /** Why the process could not be started at all, in plain words. */
  readonly error?: string;
}

/** A running (or finished) stage attempt. */
export interface StageProcess {
  /**
   * The shell's pid, which is also the process group id; undefined when the
   * spawn failed, and until `launched` settles.
   */
  readonly pid: number | undefined;
  /**
   * Settles once `pid` and `startTime` are known, or the process could not
   * start; absent when they are known at once.
   */
  readonly launched?: Promise<void> | undefined;
  /** The shell's start time (see `processStartTime`), for pid-reuse-safe checks after a restart. */
  readonly startTime: number | undefined;
  /** The environment entry that marks every process of this stage (`BATON_PROCESS_TOKEN=…`). */
  readonly processToken: string;
  /**
   * Receives stdout chunks. Chunks that arrived before the first callback was
   * registered are delivered to it at once, so nothing is lost between spawn and registration.
   */
  onStdout(callback: (chunk: Buffer) => void): void;
  /** Receives stderr chunks, with the same buffering as `onStdout`. */
  onStderr(callback: (chunk: Buffer) => void): void;
  /**
   * Writes text to the stage's stdin. Resolves true once written, false when the
   * stage has closed its stdin or exited (EPIPE is expected then, not an error).
   */
  writeStdin(text: string): Promise<boolean>;
  /** Closes the stage's stdin, so a program reading it sees end of file. */
  closeStdin(): void;
  /**
   * Stops reading the stage's stdout and stderr until `resumeOutput` (flow
   * control): the stage blocks on its full pipes instead of the engine
   * buffering what it prints. Nothing is lost.
   */
  pauseOutput(): void;
  /** Reads the stage's output again after `pauseOutput`. */
  resumeOutput(): void;
  /**
   * Lets a gated stage (`gated: true`) run its command; does nothing for an
   * ungated one. A gated stage that is never started exits with code 125
   * without running anything, also when the engine dies.
   */
  start(): void;
  /**
   * Whether a process of the stage is waiting for a line on stdin (see
   * `InputWaitState`): lets bare-`input()` detection tell `Name? ` from
   * `Compiling... `. Reads `/proc`, so ask after a silence, not on every chunk.
   */
  inputWaitState(): InputWaitState;
  /** The pid of the stage's process blocked reading its stdin right now, if any (reads `/proc`). */
  stdinReader(): number | undefined;
  /**
   * Settles when the shell has exited, every process it left behind is gone and
   * all output has been delivered. Never rejects.
   */
  readonly exited: Promise<StageExit>;
  /**
   * Ends the whole stage: SIGTERM to every process of it, SIGKILL after
   * `graceMs` to whatever is still alive; resolves when none is left (or a
   * deadline passed, listing the survivors). Calling it again joins the kill in progress.
   */
  kill(options?: { readonly graceMs?: number }): Promise<KillResult>;
}

/** Name of the environment variable that marks every process of a stage. */
export const PROCESS_TOKEN_VARIABLE = 'BATON_PROCESS_TOKEN';

const DEFAULT_GRACE_MS = 5000;
const DEFAULT_LEFTOVER_GRACE_MS = 2000;
/** After the shell exited and its leftovers were killed, how long its pipes may stay open. */
const PIPE_CLOSE_DEADLINE_MS = 2000;

/** Starts a stage attempt. Never throws: failures to start are reported by `exited`. */
export function spawnStage(options: SpawnStageOptions): StageProcess {
  const processToken = randomUUID();
  const shell = options.shell ?? '/bin/sh';
  const gated = options.gated === true;
  // Taken before the stage exists: its orphans can only be children that joined later.
  const adopters = lookAtAdopters();
  const args = ['-c', gated ? gatedScript(options.command) : options.command];
  const env = { ...options.env, [PROCESS_TOKEN_VARIABLE]: processToken };
  const { cwd } = options;
  const spawned = options.spawner === true ? spawnVia({ file: shell, args, cwd, env }) : undefined;
  if (spawned !== undefined)
    return new RunningStage(spawned, processToken, options, shell, adopters);
  try {
    const child = spawn(shell, args, {
      cwd,
      env,
      detached: true,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    return new RunningStage(forkedChild(child), processToken, options, shell, adopters);
  } catch (error) {
    return failedStage(processToken, describeSpawnError(error, options.cwd, shell));
  }
}

class RunningStage implements StageProcess {
  pid: number | undefined;
  startTime: number | undefined;
  readonly launched: Promise<void> | undefined;
  readonly exited: Promise<StageExit>;
  private readonly stdout: ChunkRelay;
  private readonly stderr: ChunkRelay;
  private tracking: EscapeeTracking | undefined;
  private killing: Promise<KillResult> | undefined;
  private finished = false;
  /** Whether the child's launch is known (at once for a forked child). */
  private launchKnown: boolean;

  constructor(
    private readonly child: StageChild,
    readonly processToken: string,
    private readonly options: SpawnStageOptions,
    shell: string,
    private readonly adoptersBefore: ChildrenLook | undefined,
  ) {
    const { launch } = child;
    this.launchKnown = !(launch instanceof Promise);
    if (launch instanceof Promise) {
      this.launched = launch.then((known) => {
        this.launchKnown = true;
        if (isRunning(known)) this.onRunning(known);
      });
    } else if (isRunning(launch)) {
      this.onRunning(launch);
    }
    this.stdout = new ChunkRelay(child.stdout);
    this.stderr = new ChunkRelay(child.stderr);
    // Writing to a stage that closed its stdin raises EPIPE here; writeStdin reports it instead.
    child.stdin?.on('error', () => undefined);
    this.exited = this.watchExit(shell);
  }

  /** The process runs: from now on it can be tracked, killed and reaped. */
  private onRunning(running: ChildRunning): void {
    this.pid = running.pid;
    this.startTime = running.startTime;
    this.tracking = trackEscapees(running.pid, running.pid, this.options.trackIntervalMs);
    // If the engine dies, the reaper ends this stage (see stageReaper).
    registerStage(running.pid, this.processToken);
  }

  onStdout(callback: (chunk: Buffer) => void): void {
    this.stdout.listen(callback);
  }

  onStderr(callback: (chunk: Buffer) => void): void {
    this.stderr.listen(callback);
  }

  writeStdin(text: string): Promise<boolean> {
    const stdin = this.child.stdin;
    if (!stdin || stdin.destroyed || stdin.writableEnded) return Promise.resolve(false);
    return new Promise((resolve) => stdin.write(text, (error) => resolve(!error)));
  }

  closeStdin(): void {
    const stdin = this.child.stdin;
    if (stdin && !stdin.writableEnded) stdin.end();
  }

  pauseOutput(): void {
    this.stdout.pause();
    this.stderr.pause();
  }

  resumeOutput(): void {
    this.stdout.resume();
    this.stderr.resume();
  }

  start(): void {
    // Only a running gated stage has a gate to open (an ungated one's stdin is
    // its command's); the engine starts one only after recording its pid.
    if (this.options.gated === true && this.pid !== undefined && !this.finished)
      this.child.openGate();
  }

  inputWaitState(): InputWaitState {
    const stdin = this.stdinHolders();
    return stdin === undefined ? 'unknown' : readInputWaitState(stdin.pids, stdin.pipe);
  }

  stdinReader(): number | undefined {
    const stdin = this.stdinHolders();
    return stdin === undefined ? undefined : stdinReaderOf(stdin.pids, stdin.pipe);
  }

  /** The stage's stdin (its identity) and the live processes that may read it. */
  private stdinHolders(): { readonly pipe: string; readonly pids: number[] } | undefined {
    const pid = this.pid;
    if (pid === undefined || this.finished) return undefined;
    // The shell's descriptor 0 (the other end of the socket pair has another inode), read
    // now, not at spawn: right after the fork the child may still be arranging its
    // descriptors, and descriptor 0 can briefly name another of its pipes.
    const pipe = streamIdentity(pid, 0);
    if (pipe === undefined) return undefined;
    // The shell and its descendants: whoever reads the stage's stdin descends from the shell.
    const tree = subtreesOf([pid]) ?? [...descendantsOf(pid), readProcess(pid)];
    const pids = tree.flatMap((p) => (p && !isDeadState(p.state) ? [p.pid] : []));
    return { pipe, pids };
  }

  kill(options?: { readonly graceMs?: number }): Promise<KillResult> {
    const graceMs = options?.graceMs ?? DEFAULT_GRACE_MS;
    // A stage the spawner is still starting (its output can come first) is killed once it runs.
    const { launched } = this;
    if (!this.launchKnown && launched !== undefined) {
      this.killing ??= launched.then(() =>
        this.pid === undefined ? { escalated: false, survivors: [] } : this.killTree(graceMs),
      );
      return this.killing;
    }
    if (this.pid === undefined || this.finished) {
      return Promise.resolve({ escalated: false, survivors: [] });
    }
    this.killing ??= this.killTree(graceMs);
    return this.killing;
  }

  private async killTree(graceMs: number): Promise<KillResult> {
    const pid = this.pid ?? 0;
    this.tracking?.sample();
    const tracking = this.tracking;
    return killStageTree(
      {
        pgid: pid,
        leaderPid: pid,
        leaderStartTime: this.startTime,
        escapees: () => tracking?.escapees() ?? [],
        others: () => this.markedProcesses(),
      },
      { graceMs },
    );
  }

  /** The processes carrying this attempt's token, among `candidates` or all processes. */
  private markedProcesses(candidates?: readonly ProcessInfo[]): ProcessRef[] {
    const marker = `${PROCESS_TOKEN_VARIABLE}=${this.processToken}`;
    return processesWithEnvironmentEntry(marker, process.pid, candidates);
  }

  private async watchExit(shell: string): Promise<StageExit> {
    const launch = await this.child.launch;
    if (!isRunning(launch)) {
      // A child may run that nobody can name by pid: end whatever carries this stage's token.
      if (launch.lost === true) killMarked(this.markedProcesses());
      this.finished = true;
      return { error: describeSpawnError(launch.error, this.options.cwd, shell) };
    }
    const outcome = await this.outcomeOf(await this.child.exit);
    if (this.pid !== undefined) {
      await this.cleanUpAfterExit();
      unregisterStage(this.pid);
    }
    this.tracking?.stop();
    this.finished = true;
    return outcome;
  }

  /** The exit as the stage reports it; a lost child is ended here, since nobody else will report it. */
  private async outcomeOf(exit: ChildExit): Promise<StageExit> {
    if (!('lost' in exit)) {
      return exit.code !== null ? { exitCode: exit.code } : { signal: exit.signal ?? 'unknown' };
    }
    this.killing ??= this.killTree(0);
    await this.killing;
    return { error: `${exit.lost}; the stage was ended` };
  }

  /**
   * After the shell exited: kills what it left behind, then waits for the
   * output pipes to drain and close. A pipe still held by an unknown process
   * after the deadline is closed from our side so the stage can finish.
   */
  private async cleanUpAfterExit(): Promise<void> {
    if (this.hasLeftovers()) {
      this.killing ??= this.killTree(this.options.leftoverGraceMs ?? DEFAULT_LEFTOVER_GRACE_MS);
    }
    if (this.killing) await this.killing;
    const closed = await Promise.race([
      Promise.all([this.stdout.closed, this.stderr.closed]).then(() => true),
      new Promise<boolean>((resolve) => setTimeout(resolve, PIPE_CLOSE_DEADLINE_MS, false).unref()),
    ]);
    if (!closed) {
      this.stdout.destroy();
      this.stderr.destroy();
    }
  }

  /**
   * Whether the shell left processes behind. Runs after every stage, so it
   * avoids full scans of `/proc`: a signal 0 to the group, the tracked
   * escapees, and the orphans adopted since the stage started.
   */
  private hasLeftovers(): boolean {
    if (groupExists(this.pid ?? 0)) return true;
    if (this.tracking?.escapees().some((ref) => isProcessAlive(ref.pid, ref.startTime)))
      return true;
    const adopted =
      this.startTime === undefined ? undefined : adoptedSince(this.startTime, this.adoptersBefore);
    return this.markedProcesses(adopted).length > 0;
  }
}

/** A stage that never started: `exited` already carries the reason. */
function failedStage(processToken: string, error: string): StageProcess {
  return {
    pid: undefined,
    startTime: undefined,
    processToken,
    onStdout: () => undefined,
    onStderr: () => undefined,
    writeStdin: () => Promise.resolve(false),
    closeStdin: () => undefined,
    pauseOutput: () => undefined,
    resumeOutput: () => undefined,
    start: () => undefined,
    inputWaitState: () => 'unknown',
    stdinReader: () => undefined,
    exited: Promise.resolve({ error }),
    kill: () => Promise.resolve({ escalated: false, survivors: [] }),
  };
}
