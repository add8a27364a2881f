import * as vscode from 'vscode';
import type { RequestType } from 'vscode-languageclient/node';
import { State, Trace } from 'vscode-languageclient/node';
import type { LanguageClient } from 'vscode-languageclient/node';
import { createClient } from './client';
import { RUN_LOG_STAGE } from '@baton/protocol';
import { Config } from './config';
import { DiagnosticsView } from './diagnostics';
import { GraphPanels } from './graphPanels';
import { TimelinePanels } from './timelinePanels';
import { UnsavedPipelines } from './unsavedPipelines';
import { LockWatch } from './lockWatch';
import { RunLogs } from './logs';
import { StageLogDocuments } from './stageLog';
import { SummaryDocuments } from './summaryDocument';
import { CompareDocuments } from './compareDocument';
import { RUNS_VIEW_ID } from './model/commandIds';
import { errorText } from './model/errorText';
import { isDoneStage } from './model/runStatus';
import { ServerMirror } from './model/serverMirror';
import { DebugTargets } from './model/debugTargets';
import { ItemReader } from './model/itemReader';
import { StoreSync } from './model/storeSync';
import type { TreeNode } from './model/treeModel';
import { RunTreeModel } from './model/treeModel';
import { PromptController } from './promptController';
import { Notifications, Requests } from './rpc';
import { RunTreeProvider } from './runTree';
import type { ServerState } from './status';
import { StatusItem } from './status';
import { SecretStore } from './vscode/secretStore';

/** How long a stopping server gets to shut down cleanly before the client gives up on it. */
const STOP_TIMEOUT_MS = 3000;
/** How long a run started from here may take to show up before it is not revealed. */
const REVEAL_WAIT_MS = 10_000;

/**
 * The extension's one lifecycle owner. Objects that live as long as the
 * extension (output channel, store, tree, status item, prompts, logs,
 * diagnostics) go into `extensionDisposables`; the language client and its
 * notification handlers into `serverDisposables`, released on every stop.
 * Restart = stop (with a timeout), then a fresh client. Commands ask it for
 * the server and get a clear error when it is not running.
 */
export class Ctx implements vscode.Disposable {
  readonly config = new Config();
  readonly output = vscode.window.createOutputChannel('Baton', { log: true });
  readonly store = new ServerMirror();
  /** Where debugged stages wait for the debugger (`baton/didOpenDebugTarget`), for "Debug Stage". */
  readonly debugTargets = new DebugTargets();
  readonly treeModel = new RunTreeModel(this.store, () =>
    (vscode.workspace.workspaceFolders ?? []).map((folder) => folder.uri.fsPath),
  );
  readonly logs: RunLogs;
  readonly stageLogs: StageLogDocuments;
  readonly summaries: SummaryDocuments;
  readonly comparisons = new CompareDocuments((params) => this.send(Requests.compareRuns, params));
  readonly graphs: GraphPanels;
  readonly timelines: TimelinePanels;
  readonly prompts: PromptController;
  readonly locks: LockWatch;
  readonly treeView: vscode.TreeView<TreeNode>;
  private readonly status: StatusItem;
  private readonly treeProvider: RunTreeProvider;
  private readonly sync: StoreSync;
  private readonly extensionDisposables: vscode.Disposable[] = [];
  private serverDisposables: vscode.Disposable[] = [];
  private client: LanguageClient | undefined;
  private serverState: ServerState = 'stopped';
  private restarting: Promise<void> = Promise.resolve();
  private readonly requestCounts = new Map<string, number>();
  /** Values for pipelines' `secrets:` kept in VS Code's SecretStorage (see runSecrets.ts). */
  readonly secrets: SecretStore;

  constructor(private readonly context: vscode.ExtensionContext) {
    this.secrets = new SecretStore(
      context.secrets,
      vscode.workspace.workspaceFolders?.[0]?.uri.toString() ?? '',
    );
    const onError = (what: string, error: unknown): void =>
      this.output.error(`${what}: ${errorText(error)}`);
    this.sync = this.createSync(onError);
    this.createItemReader(onError);
    this.locks = new LockWatch(
      this.store,
      (pipeline) => this.send(Requests.getLock, { pipeline }),
      onError,
    );
    this.logs = new RunLogs(this.store, (params) => this.send(Requests.getLog, params), onError);
    this.stageLogs = new StageLogDocuments(
      this.store,
      (params) => this.send(Requests.getLog, params),
      (runId) => this.loadRun(runId),
    );
    this.summaries = new SummaryDocuments(this.store, (runId) => this.loadRun(runId));
    this.graphs = this.createGraphs(context.extensionUri);
    this.timelines = this.createTimelines(onError);
    this.prompts = new PromptController(this.store, this.config, (params) =>
      this.send(Requests.answerPrompt, params),
    );
    const provider = new RunTreeProvider(this.treeModel, this.store);
    this.treeProvider = provider;
    this.treeView = vscode.window.createTreeView(RUNS_VIEW_ID, {
      treeDataProvider: provider,
      showCollapseAll: true,
    });
    this.status = new StatusItem(this.store);
    this.extensionDisposables.push(
      this.output,
      this.logs,
      this.stageLogs,
      this.summaries,
      this.comparisons,
      this.graphs,
      this.prompts,
      provider,
      this.treeView,
      this.status,
      new DiagnosticsView(this.store),
      this.store,
      this.store.onDidNeedSnapshot((runId) => this.fetchSnapshot(runId)),
      this.treeView.onDidExpandElement(({ element }) => {
        if (element.kind === 'run' && this.store.run(element.runId)?.detailed === false)
          this.fetchSnapshot(element.runId);
      }),
    );
  }

  /** Reads fanned-out stages' items page by page as the tree asks; only while the server runs. */
  private createItemReader(onError: (what: string, error: unknown) => void): void {
    const reader = new ItemReader(
      this.store,
      { listItems: (params) => this.send(Requests.listItems, params) },
      onError,
    );
    this.extensionDisposables.push(
      reader,
      this.store.onDidNeedItems((wanted) => {
        if (this.isRunning) reader.want(wanted);
      }),
    );
  }

  /** Keeps the store in step with the server: listings, snapshots and missed events. */
  private createSync(onError: (what: string, error: unknown) => void): StoreSync {
    return new StoreSync(
      this.store,
      {
        listPipelines: () => this.send(Requests.listPipelines, {}),
        listRuns: (params) => this.send(Requests.listRuns, params),
        getRun: (runId) => this.send(Requests.getRun, { runId }),
        getEvents: (params) => this.send(Requests.getEvents, params),
      },
      onError,
    );
  }

  /** The graph panels, which follow the unsaved text of pipeline files through the server. */
  private createGraphs(extensionUri: vscode.Uri): GraphPanels {
    const unsaved = new UnsavedPipelines(
      async (uri) =>
        (await this.send(Requests.getDocumentPipeline, { textDocument: { uri } }))?.pipeline,
      (file) => this.graphs.follows(file),
    );
    this.extensionDisposables.push(unsaved);
    return new GraphPanels(
      this.store,
      vscode.Uri.joinPath(extensionUri, 'media'),
      unsaved,
      (params) => this.send(Requests.listItems, params),
    );
  }

  /** Whether the server is connected and answering. */
  get isRunning(): boolean {
    return this.client?.state === State.Running;
  }

  /** The connection state, as the status bar shows it. */
  get state(): ServerState {
    return this.serverState;
  }

  /** Registers an extension-lifetime disposable. */
  pushExtensionDisposable(disposable: vscode.Disposable): void {
    this.extensionDisposables.push(disposable);
  }

  /** Starts the server and the client; resolves once the connection is up (or failed). */
  async start(): Promise<void> {
    if (this.client) return;
    if (!vscode.workspace.workspaceFolders?.length) {
      this.output.info('No workspace folder is open: the Baton server is not started.');
      this.setState('stopped');
      return;
    }
    const client = createClient({
      serverModule: this.context.asAbsolutePath('dist/server.js'),
      initializationOptions: this.config.initializationOptions(vscode.workspace.isTrusted),
      outputChannel: this.output,
      onClosed: (restarting) => this.setState(restarting ? 'reconnecting' : 'stopped'),
    });
    this.client = client;
    this.serverDisposables.push(
      ...this.wireNotifications(client),
      client.onDidChangeState(({ newState }) => this.onClientState(newState)),
    );
    this.setState('starting');
    try {
      await client.start();
    } catch (error) {
      this.output.error(`The Baton server did not start: ${errorText(error)}`);
      this.setState('stopped');
    }
  }

  /** Stops the client and the server, waiting at most a few seconds for a clean shutdown. */
  async stop(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    for (const d of this.serverDisposables) d.dispose();
    this.serverDisposables = [];
    if (client) {
      try {
        await client.stop(STOP_TIMEOUT_MS);
      } catch (error) {
        this.output.warn(`The Baton server did not stop cleanly: ${errorText(error)}`);
      }
    }
    this.setState('stopped');
  }

  /** Stops the server and starts a fresh one; the store then replays what it missed. */
  restart(): Promise<void> {
    // Restarts can be asked for in quick succession (trust granted, a setting
    // changed, the command): run them one after the other, never interleaved.
    const next = this.restarting.then(async () => {
      await this.stop();
      await this.start();
    });
    this.restarting = next.catch((error: unknown) =>
      this.output.error(`Restarting the Baton server failed: ${errorText(error)}`),
    );
    return next;
  }

  /** Sends a request to the server; fails with a plain message when it is not running. */
  async send<P, R>(type: RequestType<P, R, void>, params: P): Promise<R> {
    const client = this.client;
    if (!client || client.state !== State.Running) {
      throw new Error('The Baton server is not running. Run "Baton: Restart Server" to start it.');
    }
    this.requestCounts.set(type.method, this.requestsSent(type.method) + 1);
    return client.sendRequest<R>(type.method, params);
  }

  /**
   * Sends a request whose params carry secret values. A verbose client trace
   * writes every request's params to the output channel, which VS Code keeps
   * in a log file, so the trace shows no params while it is under way.
   */
  async sendSecretly<P, R>(type: RequestType<P, R, void>, params: P): Promise<R> {
    const client = this.client;
    const verbose = client !== undefined && this.config.traceIsVerbose;
    if (verbose) await client.setTrace(Trace.Messages);
    try {
      return await this.send(type, params);
    } finally {
      if (verbose) await client.setTrace(Trace.Verbose).catch(() => undefined);
    }
  }

  /**
   * How many requests of `method` this window has sent to a server. Lets the
   * tests tell a check the extension makes itself (nothing sent) from a
   * refusal by the server (sent, then refused).
   */
  requestsSent(method: string): number {
    return this.requestCounts.get(method) ?? 0;
  }

  /** Fetches a run's full snapshot into the store (e.g. before showing its log). */
  async loadRun(runId: string): Promise<void> {
    if (this.isRunning) await this.sync.fetchSnapshot(runId);
  }

  /**
   * Selects and expands a run's row in the Runs tree, once the run is known
   * (its first notification may arrive after the request that started it).
   */
  async revealRun(runId: string): Promise<void> {
    if (!(await this.waitForRun(runId))) return;
    this.treeProvider.refreshNow();
    try {
      await this.treeView.reveal(
        { kind: 'run', runId },
        { select: true, focus: false, expand: true },
      );
    } catch (error) {
      // Revealing fails while the view was never opened; the run is still in the tree.
      this.output.debug(`Could not reveal run ${runId}: ${errorText(error)}`);
    }
  }

  /** Reads the next page of a fanned-out stage's items into the Runs tree (the store's change redraws it). */
  showMoreItems(runId: string, stageId: string): void {
    this.treeModel.showMoreItems(runId, stageId);
  }

  /** Resolves true once the mirror knows the run (or false after a few seconds without it). */
  waitForRun(runId: string): Promise<boolean> {
    if (this.store.run(runId)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => finish(false), REVEAL_WAIT_MS);
      const subscription = this.store.onDidChange(() => {
        if (this.store.run(runId)) finish(true);
      });
      const finish = (known: boolean): void => {
        clearTimeout(timer);
        subscription.dispose();
        resolve(known);
      };
    });
  }

  /** Stops the server and releases everything. */
  async dispose(): Promise<void> {
    await this.stop();
    for (const d of this.extensionDisposables.reverse()) d.dispose();
  }

  private wireNotifications(client: LanguageClient): vscode.Disposable[] {
    return [
      client.onNotification(Notifications.didChangeRun, (params) => {
        this.sync.didChangeRun(params);
        this.locks.noteEvents(params.events);
        for (const event of params.events)
          if (event.kind === 'stageStatusChanged' && isDoneStage(event.status))
            this.logs.stageEnded(event.runId, event.stage);
      }),
      client.onNotification(Notifications.didOpenPrompt, (params) =>
        this.sync.didOpenPrompt(params),
      ),
      client.onNotification(Notifications.didClosePrompt, (params) =>
        this.sync.didClosePrompt(params),
      ),
      client.onNotification(Notifications.didAnnotate, (params) => this.sync.didAnnotate(params)),
      client.onNotification(Notifications.didOpenDebugTarget, (params) =>
        this.debugTargets.told(params),
      ),
      client.onNotification(Notifications.didChangePipelines, (params) =>
        this.sync.didChangePipelines(params),
      ),
      client.onNotification(Notifications.didAppendLog, (params) => {
        this.logs.append(params);
        // The run's own log belongs to no stage: only the run's channel shows it.
        if (params.stage === RUN_LOG_STAGE) return;
        this.store.tails.append(params.runId, params.stage, params.attempt, params.text);
        this.stageLogs.append(params);
      }),
    ];
  }

  private onClientState(state: State): void {
    if (state === State.Starting) this.setState('starting');
    if (state !== State.Running) return;
    this.setState('running');
    this.sync
      .resync()
      .then(() => {
        // A new server may have missed events: the timelines are read again from the runs' logs.
        this.timelines.refreshAll();
        return this.locks.checkAll();
      })
      .catch((error: unknown) => this.output.error(`Could not load the runs: ${errorText(error)}`));
  }

  /** The run timelines (an extension-lifetime object, released with the others). */
  private createTimelines(onError: (what: string, error: unknown) => void): TimelinePanels {
    const timelines = new TimelinePanels({
      store: this.store,
      media: vscode.Uri.joinPath(this.context.extensionUri, 'media'),
      fetch: (runId) => this.send(Requests.getRunTimeline, { runId }),
      openStageLog: (runId, stage, attempt) => this.stageLogs.show({ runId, stage }, attempt),
      onError,
    });
    this.extensionDisposables.push(timelines);
    return timelines;
  }

  private fetchSnapshot(runId: string): void {
    if (this.isRunning) void this.sync.fetchSnapshot(runId);
  }

  private setState(state: ServerState): void {
    this.serverState = state;
    this.status.setServerState(state);
  }
}
