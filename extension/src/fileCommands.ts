import * as path from 'node:path';
import * as vscode from 'vscode';
import type { Ctx } from './ctx';
import type { CommandTarget } from './model/commandArgs';
import { formatClock } from './model/format';
import { pickPipeline, pickRun } from './pickers';
import { Requests } from './rpc';
import { pickOne } from './vscode/quickPick';
import { confirmModal, showInfo, showWarning } from './vscode/windowMessages';

/** Where a file should open: a path and a 1-based line and column. */
export interface FileLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

/** Reads `(file, line, column)` arguments, as invalid pipeline rows pass them. */
export function fileLocation(args: readonly unknown[]): FileLocation | undefined {
  const [file, line, column] = args;
  if (typeof file !== 'string') return undefined;
  return {
    file,
    line: typeof line === 'number' ? line : 1,
    column: typeof column === 'number' ? column : 1,
  };
}

/** Opens a pipeline file, at the given position (the first problem of an invalid file). */
export async function openPipelineFile(
  ctx: Ctx,
  target: CommandTarget,
  at: FileLocation | undefined,
): Promise<void> {
  let location = at;
  if (!location) {
    const pipeline =
      ctx.store.pipelines.find((p) => p.id === target.pipelineId) ??
      (await pickPipeline(ctx.store, 'Open Pipeline File', false));
    if (!pipeline) return;
    const first = pipeline.diagnostics[0];
    location = { file: pipeline.file, line: first?.line ?? 1, column: first?.column ?? 1 };
  }
  const position = new vscode.Position(
    Math.max(0, location.line - 1),
    Math.max(0, location.column - 1),
  );
  await vscode.window.showTextDocument(vscode.Uri.file(location.file), {
    selection: new vscode.Range(position, position),
  });
}

/** Reveals a run's folder (`<stateDir>/runs/<runId>`) in the Explorer, or in the OS file manager when outside the workspace. */
export async function revealRunFolder(ctx: Ctx, target: CommandTarget): Promise<void> {
  const run =
    (target.runId !== undefined ? ctx.store.run(target.runId) : undefined) ??
    (await pickRun(ctx.store, 'Reveal Run Folder', () => true, 'There are no runs yet.'));
  const stateDir = ctx.config.stateDir;
  if (!run || stateDir === undefined) return;
  const folder = vscode.Uri.file(path.join(stateDir, 'runs', run.summary.runId));
  const inWorkspace = vscode.workspace.getWorkspaceFolder(folder) !== undefined;
  await vscode.commands.executeCommand(inWorkspace ? 'revealInExplorer' : 'revealFileInOS', folder);
}

/** Shows who holds a pipeline's lock and, when the owner is gone, breaks it after confirmation. */
export async function breakStaleLock(ctx: Ctx, target: CommandTarget): Promise<void> {
  const pipelineId =
    target.pipelineId ??
    (target.runId !== undefined ? ctx.store.run(target.runId)?.summary.pipeline : undefined) ??
    (await pickStaleLock(ctx));
  if (pipelineId === undefined) return;
  const { lock } = await ctx.send(Requests.getLock, { pipeline: pipelineId });
  if (!lock) {
    void showInfo(`Nobody holds the lock of ${pipelineId}.`);
    return;
  }
  const now = Date.now();
  const owner = `process ${lock.pid} on ${lock.host}${lock.runId !== undefined ? ` (run #${lock.runId})` : ''}, since ${formatClock(lock.startedAt, now)}, last heartbeat ${formatClock(lock.heartbeatAt, now)}`;
  if (!lock.stale) {
    void showWarning(
      `The lock of ${pipelineId} is held by a live owner: ${owner}. Stop that run instead.`,
    );
    return;
  }
  const confirmed = await confirmModal(
    `Break the stale lock of ${pipelineId}?`,
    `It is held by ${owner}, which is ${lock.ownerAlive === false ? 'no longer running' : 'silent for too long'}.`,
    'Break Lock',
  );
  if (!confirmed) return;
  await ctx.send(Requests.breakLock, { pipeline: pipelineId });
  await ctx.locks.check(pipelineId);
  void showInfo(`The lock of ${pipelineId} was broken.`);
}

/** Picks among the pipelines whose lock is stale; says so when none is. */
async function pickStaleLock(ctx: Ctx): Promise<string | undefined> {
  await ctx.locks.checkAll();
  const stale = ctx.store.pipelines.filter((p) => ctx.store.hasStaleLock(p.id));
  if (stale.length === 0) {
    void showInfo('No pipeline lock is held by a dead or silent owner: there is nothing to break.');
    return undefined;
  }
  return pickOne(
    stale.map((p) => ({ label: ctx.store.pipelineName(p.id), description: p.id, value: p.id })),
    { title: 'Break Stale Lock', placeholder: 'Pick the pipeline whose lock to break' },
  );
}
