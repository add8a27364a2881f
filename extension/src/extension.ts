import * as vscode from 'vscode';
import { registerCommands } from './commands';
import { Ctx } from './ctx';
import type { GraphModel } from './model/graphModel';
import type { TimelineView } from './model/timelineLayout';
import type { ServerMirror } from './model/serverMirror';
import type { RunTreeModel } from './model/treeModel';
import { RunEndNotifier } from './runEndNotifier';
import { registerStageCodeLens } from './stageCodeLens';
import type { ServerState } from './status';
import { isQuickInputOpen, openInputBox, quickInputsShown } from './vscode/quickInputState';
import type { TypableInput } from './vscode/quickInputState';

/** What the extension exports: read-only access to its state, used by the integration tests. */
export interface BatonExtensionApi {
  readonly store: ServerMirror;
  readonly tree: RunTreeModel;
  /** The connection state of the server. */
  serverState(): ServerState;
  /** The names of the run output channels open now. */
  logChannelNames(): string[];
  /** The latest text written to a run's output channel. */
  logText(runId: string): string | undefined;
  /** Whether one of the extension's QuickPicks or InputBoxes is shown. */
  isQuickInputOpen(): boolean;
  /** How many QuickPicks and InputBoxes the extension has shown since it was loaded. */
  quickInputsShown(): number;
  /** The InputBox shown now, for a test to type into (see `openInputBox`). */
  openInputBox(): TypableInput | undefined;
  /** The run-end notifications raised so far, oldest first. */
  runEndNotices(): readonly string[];
  /** The graphs the open graph panels show (what was last posted to each webview). */
  graphsShown(): readonly GraphModel[];
  /** The timelines the open timeline panels show (what was last posted to each webview). */
  timelinesShown(): readonly TimelineView[];
  /** How many requests of a method (`baton/startRun`, …) this window has sent to a server. */
  requestsSent(method: string): number;
}

let ctx: Ctx | undefined;

/** Starts the Baton extension: the lifecycle owner, the commands, and the server. */
export async function activate(context: vscode.ExtensionContext): Promise<BatonExtensionApi> {
  const owner = new Ctx(context);
  ctx = owner;
  registerCommands(owner, context);
  const runEnds = new RunEndNotifier(owner.store, () => owner.config.runEndSettings);
  context.subscriptions.push(registerStageCodeLens(owner.store), runEnds);
  context.subscriptions.push(
    vscode.workspace.onDidGrantWorkspaceTrust(() => void owner.restart()),
    vscode.workspace.onDidChangeWorkspaceFolders(() => void owner.restart()),
    vscode.workspace.onDidChangeConfiguration((event) => {
      if (owner.config.affectsServer(event)) void owner.restart();
    }),
  );
  await owner.start();
  return {
    store: owner.store,
    tree: owner.treeModel,
    serverState: () => owner.state,
    logChannelNames: () => owner.logs.channelNames(),
    logText: (runId) => owner.logs.transcript(runId),
    isQuickInputOpen,
    quickInputsShown,
    openInputBox,
    requestsSent: (method) => owner.requestsSent(method),
    runEndNotices: () => runEnds.shown,
    graphsShown: () => owner.graphs.shown(),
    timelinesShown: () => owner.timelines.shown(),
  };
}

/** Stops the server and releases everything the extension holds. */
export async function deactivate(): Promise<void> {
  const owner = ctx;
  ctx = undefined;
  await owner?.dispose();
}
