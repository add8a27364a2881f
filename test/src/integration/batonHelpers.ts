/**
 * Helpers for the Baton extension's integration suites, which run inside the
 * extension host with the real `vscode` API and the real server.
 */
import { execFile } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type {
  PromptInfo,
  RunStatus,
  RunSummary,
  StageSnapshot,
  WirePipeline,
} from '@baton/protocol';
import { waitFor } from '../harness/deadline';

/** The extension's id: `<publisher>.<name>`. */
export const EXTENSION_ID = 'baton.baton-vscode';

/** A run as the extension's store projects it (the part the tests read). */
export interface RunView {
  readonly summary: RunSummary;
  readonly stages: readonly StageSnapshot[];
  readonly prompts: readonly PromptInfo[];
  /** The units of fanned-out stages read for the tree, by stage (see extension/src/model/itemWindow.ts). */
  readonly items?: Readonly<
    Record<string, { readonly units: readonly StageSnapshot[]; readonly stale: boolean }>
  >;
}

/** A node of the Runs tree, as the extension's tree model takes it. */
export type TreeNode =
  | { readonly kind: 'pipeline'; readonly pipelineId: string }
  | { readonly kind: 'run'; readonly runId: string }
  | { readonly kind: 'stage'; readonly runId: string; readonly stageId: string }
  | { readonly kind: 'prompt'; readonly runId: string; readonly promptId: string }
  | { readonly kind: 'plannedStage'; readonly pipelineId: string; readonly stageId: string }
  | { readonly kind: 'history'; readonly pipelineId: string };

/** The API the extension's `activate` returns (see extension/src/extension.ts). */
export interface BatonApi {
  readonly store: {
    readonly pipelines: readonly WirePipeline[];
    run(runId: string): RunView | undefined;
    runsOf(pipelineId: string): RunView[];
  };
  readonly tree: {
    children(node?: TreeNode): TreeNode[];
    describe(
      node: TreeNode,
      now: number,
    ):
      | {
          label: string;
          description?: string;
          tooltip?: string;
          icon: { id: string; color?: string };
          contextValue: string;
          command?: { command: string; arguments: readonly unknown[] };
        }
      | undefined;
  };
  serverState(): string;
  logChannelNames(): string[];
  logText(runId: string): string | undefined;
  isQuickInputOpen(): boolean;
  quickInputsShown(): number;
  openInputBox(): { readonly password: boolean; setValue(text: string): void } | undefined;
  requestsSent(method: string): number;
  runEndNotices(): readonly string[];
  graphsShown(): readonly {
    readonly title: string;
    readonly runId?: string;
    readonly pipelineId: string;
    readonly problems?: readonly string[];
    readonly unsaved?: boolean;
    readonly nodes: readonly {
      readonly stage: string;
      readonly tone: string;
      readonly detail: string;
      readonly x: number;
      readonly fanOut?: boolean;
      readonly items?: {
        readonly done: number;
        readonly failed: number;
        readonly running: number;
        readonly queued: number;
      };
    }[];
  }[];
  timelinesShown(): readonly {
    readonly title: string;
    readonly runId: string;
    readonly now?: number;
    readonly rows: readonly {
      readonly stage: string;
      readonly bars: readonly {
        readonly end: string;
        readonly phases: readonly {
          readonly kind: string;
          readonly from: number;
          readonly to: number;
        }[];
      }[];
    }[];
  }[];
}

/** Deadline for anything the server does for a tiny fixture pipeline. */
export const STEP_TIMEOUT_MS = 20_000;

/** Activates the extension and returns its API once the server is connected. */
export async function activateBaton(): Promise<BatonApi> {
  const extension = vscode.extensions.getExtension<BatonApi>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not loaded`);
  const api = await extension.activate();
  await until(() => api.serverState() === 'running', 'the Baton server to be running');
  return api;
}

/** The workspace folder the tests run in (a throwaway copy of the harness fixture). */
export function workspaceDir(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder is open');
  return folder.uri.fsPath;
}

/**
 * Copies pipelines of test/fixtures/<folder> (default workspace-extension) into the workspace.
 * Call it before activating: the server then finds them in its first scan.
 */
export function copyFixturePipelines(ids: readonly string[], folder = 'workspace-extension'): void {
  const extensionPath = vscode.extensions.getExtension(EXTENSION_ID)?.extensionPath ?? '';
  const fixture = path.join(extensionPath, '..', 'test', 'fixtures', folder);
  // The "Extension Tests" launch configuration opens the fixture itself.
  if (path.resolve(fixture) === path.resolve(workspaceDir())) return;
  for (const id of ids) {
    const name = `${id}.pipeline.yaml`;
    fs.copyFileSync(path.join(fixture, name), path.join(workspaceDir(), name));
  }
}

/** Waits until the server lists the pipelines `ids`. */
export async function waitForPipelines(api: BatonApi, ids: readonly string[]): Promise<void> {
  await until(
    () => ids.every((id) => api.store.pipelines.some((p) => p.id === id)),
    `the server to list the pipelines ${ids.join(', ')}`,
  );
}

/** Waits until `probe` holds, failing with `what` after the deadline. */
export function until<T>(
  probe: () => T | undefined | false,
  what: string,
  timeoutMs = STEP_TIMEOUT_MS,
): Promise<T> {
  return waitFor(probe, { what, timeoutMs, intervalMs: 50 });
}

/**
 * Waits until no run holds the pipeline's lock (`.baton/locks/<id>.lock`).
 * The server releases it just after it reports the run's final status, so a
 * test that starts or retries right after a run ended waits for this first.
 */
export function waitForLockReleased(pipelineId: string): Promise<true> {
  const lock = path.join(workspaceDir(), '.baton', 'locks', `${pipelineId}.lock`);
  return until(() => !fs.existsSync(lock) || undefined, `the lock of ${pipelineId} to be released`);
}

/** Starts a pipeline with the Run Pipeline command, as its tree row's Run button does; returns the new run. */
export async function runPipeline(api: BatonApi, pipelineId: string): Promise<RunView> {
  const before = new Set(api.store.runsOf(pipelineId).map((run) => run.summary.runId));
  await waitForLockReleased(pipelineId);
  await vscode.commands.executeCommand('baton.runPipeline', { kind: 'pipeline', pipelineId });
  return until(
    () => api.store.runsOf(pipelineId).find((run) => !before.has(run.summary.runId)),
    `a new run of ${pipelineId}`,
  );
}

/** Waits until a run reaches one of `statuses`; returns it. */
export function waitForRun(
  api: BatonApi,
  runId: string,
  ...statuses: RunStatus[]
): Promise<RunView> {
  return until(
    () => {
      const run = api.store.run(runId);
      return run && statuses.includes(run.summary.status) ? run : undefined;
    },
    `run ${runId} to be ${statuses.join(' or ')} (it is ${api.store.run(runId)?.summary.status ?? 'unknown'})`,
  );
}

/** Waits until a stage of a run has `status`. */
export function waitForStage(
  api: BatonApi,
  runId: string,
  stageId: string,
  status: StageSnapshot['status'],
): Promise<StageSnapshot> {
  return until(
    () => api.store.run(runId)?.stages.find((s) => s.id === stageId && s.status === status),
    `stage ${stageId} of run ${runId} to be ${status}`,
  );
}

/** Waits until the run's output channel shows `text`; returns the channel text. */
export function waitForLog(api: BatonApi, runId: string, text: string): Promise<string> {
  return until(
    () => {
      const log = api.logText(runId);
      return log?.includes(text) === true ? log : undefined;
    },
    `the output channel of run ${runId} to show ${JSON.stringify(text)}`,
  );
}

/** Waits until one of the extension's QuickPicks or InputBoxes is shown. */
export function waitForQuickInput(api: BatonApi): Promise<true> {
  return until(() => api.isQuickInputOpen() || undefined, 'a Baton QuickPick or InputBox to open');
}

/** The pids of the Baton servers this extension host started (children running dist/server.js). */
export function serverPids(): number[] {
  const pids: number[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const cmdline = fs.readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (
        ppid === process.pid &&
        cmdline.some((arg) => arg.endsWith(path.join('dist', 'server.js')))
      ) {
        pids.push(Number(entry));
      }
    } catch {
      // The process ended while being read: it is not a live server.
    }
  }
  return pids;
}

/** Runs the `baton` CLI of this repository (as another process would) and resolves with its stdout. */
export function runCli(args: readonly string[]): Promise<string> {
  const extensionPath = vscode.extensions.getExtension(EXTENSION_ID)?.extensionPath ?? '';
  const cli = path.join(extensionPath, '..', 'server', 'bin', 'baton.js');
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [cli, ...args],
      // The extension host may be Electron: make it behave as plain Node.
      {
        cwd: workspaceDir(),
        env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
        timeout: STEP_TIMEOUT_MS,
      },
      (error, stdout, stderr) =>
        error
          ? reject(new Error(`baton ${args.join(' ')}: ${stderr || error.message}`))
          : resolve(stdout),
    );
  });
}
