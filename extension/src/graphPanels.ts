import * as vscode from 'vscode';
import { CommandIds } from './model/commandIds';
import type { GraphModel } from './model/graphModel';
import { pipelineGraph, runGraph } from './model/graphModel';
import { graphMessage } from './model/graphUpdates';
import { declaredFanOuts } from './model/itemGroups';
import type { ListItemsParams, ListItemsResult } from '@baton/protocol';
import { itemLabel } from './model/itemRows';
import type { ServerMirror } from './model/serverMirror';
import { webviewHtml } from './webviewHtml';
import { stageDescription } from './model/stageText';
import type { UnsavedPipelines } from './unsavedPipelines';
import { pickOne } from './vscode/quickPick';

/** What a graph panel shows: one run, or a pipeline (its newest run once it has one). */
export type GraphSubject = { readonly runId: string } | { readonly pipelineId: string };

/** How long changes are gathered into one post, so a 10,000-item run does not flood a panel. */
const POST_DELAY_MS = 100;
/** How many items the list of a fanned-out stage offers (failed and running first). */
const ITEM_LIST = 1000;

interface OpenPanel {
  readonly panel: vscode.WebviewPanel;
  readonly subject: GraphSubject;
  ready: boolean;
  timer?: NodeJS.Timeout | undefined;
  /** The graph posted last (read by the integration tests). */
  last?: GraphModel | undefined;
}

/**
 * The pipeline graph: a webview per run or pipeline, the stages as boxes laid
 * out by their `needs` (`graphModel.ts`), coloured by status; a fanned-out
 * stage is one box with its item counts. Changes are gathered for
 * `POST_DELAY_MS`, and while the layout stays the same only the boxes whose
 * look changed are posted. The graph of a pipeline follows the unsaved text
 * of its file. A click (or Enter) on a box opens that stage's log, a list
 * of a fanned-out stage's items, or the pipeline file at the stage before any
 * run. Strict CSP: one script and one stylesheet from the extension, no network.
 */
export class GraphPanels implements vscode.Disposable {
  private readonly panels = new Map<string, OpenPanel>();
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly store: ServerMirror,
    private readonly media: vscode.Uri,
    private readonly unsaved: UnsavedPipelines,
    private readonly listItems: (params: ListItemsParams) => Promise<ListItemsResult>,
  ) {
    const all = (): void => {
      for (const open of this.panels.values()) this.schedule(open);
    };
    this.subscriptions = [store.onDidChange(all), unsaved.onDidChange(all)];
  }

  /** Opens (or reveals) the graph of a run or pipeline. */
  show(subject: GraphSubject): void {
    const key = 'runId' in subject ? `run:${subject.runId}` : `pipeline:${subject.pipelineId}`;
    const existing = this.panels.get(key);
    if (existing) {
      existing.panel.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      'baton.graph',
      'Pipeline Graph',
      vscode.ViewColumn.Active,
      { enableScripts: true, localResourceRoots: [this.media], retainContextWhenHidden: false },
    );
    const open: OpenPanel = { panel, subject, ready: false };
    this.panels.set(key, open);
    panel.webview.html = this.html(panel.webview);
    panel.webview.onDidReceiveMessage((message: { type?: string; stage?: string }) => {
      if (message.type === 'ready') {
        // A webview (re)loaded: it has nothing, so the whole graph goes.
        open.ready = true;
        open.last = undefined;
        this.post(open);
      } else if (message.type === 'timeline' && open.last?.runId !== undefined) {
        const runId = open.last.runId;
        void vscode.commands.executeCommand(CommandIds.showTimeline, { kind: 'run', runId });
      } else if (message.type === 'open' && typeof message.stage === 'string') {
        void this.openStage(open, message.stage);
      }
    });
    panel.onDidDispose(() => {
      clearTimeout(open.timer);
      this.panels.delete(key);
    });
    if ('pipelineId' in subject) {
      const file = this.store.pipelines.find((p) => p.id === subject.pipelineId)?.file;
      if (file !== undefined) this.unsaved.refresh(file);
    }
  }

  /** Whether an open panel shows the pipeline of `file` (so its unsaved edits matter). */
  follows(file: string): boolean {
    return [...this.panels.values()].some(
      ({ subject }) =>
        'pipelineId' in subject &&
        this.store.pipelines.some((p) => p.id === subject.pipelineId && p.file === file),
    );
  }

  /** The graphs the open panels show now, for the tests. */
  shown(): GraphModel[] {
    return [...this.panels.values()].flatMap((open) => (open.last ? [open.last] : []));
  }

  private graphOf(subject: GraphSubject): GraphModel | undefined {
    const now = Date.now();
    if ('runId' in subject) {
      const run = this.store.run(subject.runId);
      const file = this.store.pipelines.find((p) => p.id === run?.summary.pipeline);
      return run ? runGraph(run, now, declaredFanOuts(file)) : undefined;
    }
    const file = this.store.pipelines.find((p) => p.id === subject.pipelineId);
    // Unsaved edits win: the graph shows what is being typed (or what is wrong with it).
    const edited = file && this.unsaved.of(file.id, file.file);
    if (edited) return { ...pipelineGraph(edited), unsaved: true };
    // An invalid file shows its problems first, even when an older run could be drawn.
    if (file?.valid === false) return pipelineGraph(file);
    const newest = this.store.runsOf(subject.pipelineId)[0];
    if (newest && newest.stages.length > 0) return runGraph(newest, now, declaredFanOuts(file));
    return file ? pipelineGraph(file) : undefined;
  }

  private schedule(open: OpenPanel): void {
    if (open.timer !== undefined) return;
    open.timer = setTimeout(() => {
      open.timer = undefined;
      this.post(open);
    }, POST_DELAY_MS);
  }

  private post(open: OpenPanel): void {
    const graph = this.graphOf(open.subject);
    if (!graph || !open.ready) return;
    const message = graphMessage(open.last, graph);
    open.last = graph;
    open.panel.title = `Graph: ${graph.title}`;
    if (message) void open.panel.webview.postMessage(message);
  }

  private async openStage(open: OpenPanel, stage: string): Promise<void> {
    const runId = open.last?.runId;
    if (runId !== undefined) {
      const unit = await this.pickItem(runId, stage);
      if (unit === null) return;
      await vscode.commands.executeCommand(CommandIds.showStageLog, runId, unit ?? stage);
      return;
    }
    const pipeline = this.store.pipelines.find((p) => p.id === open.last?.pipelineId);
    const declared = pipeline?.stages.find((s) => s.id === stage);
    if (pipeline)
      await vscode.commands.executeCommand(
        CommandIds.openPipelineFile,
        pipeline.file,
        declared?.line ?? 1,
        declared?.column ?? 1,
      );
  }

  /**
   * For a fanned-out stage, the item whose log to open, picked from a list
   * (failed and running first); undefined for any other stage (its own log),
   * null when the list was dismissed.
   */
  private async pickItem(runId: string, stage: string): Promise<string | undefined | null> {
    const run = this.store.run(runId);
    const row = run?.stages.find((s) => s.id === stage);
    if (!run || row?.items === undefined || row.items.total === 0) return undefined;
    // One page from the server (failed and running first); the store holds no units to pick from.
    const page = await this.listItems({ runId, stage, limit: ITEM_LIST });
    const total = page.counts.total;
    const now = Date.now();
    const more = total > page.items.length ? ` (first ${page.items.length})` : '';
    const picked = await pickOne(
      page.items.map((unit) => ({
        label: itemLabel(unit.id.slice(stage.length)),
        description: stageDescription(unit, now, run.summary.status) || unit.status,
        value: unit.id,
      })),
      {
        title: `Items of ${stage}: ${total}${more}`,
        placeholder: 'Pick an item to open its log',
      },
    );
    return picked ?? null;
  }

  private html(webview: vscode.Webview): string {
    return webviewHtml(
      webview,
      this.media,
      'graph',
      'Pipeline Graph',
      `<header>
<h1 id="title">Loading…</h1>
<span id="note" class="hint"></span>
<button id="timeline" hidden>Show Timeline</button>
<nav class="tools" aria-label="Zoom">
<button id="zoom-out" title="Zoom out (-)" aria-label="Zoom out">−</button>
<button id="zoom-reset" title="Actual size" aria-label="Actual size">100%</button>
<button id="zoom-in" title="Zoom in (+)" aria-label="Zoom in">+</button>
<button id="zoom-fit" title="Fit the graph (0)" aria-label="Fit the graph">Fit</button>
<button id="next-failed" title="Next failed stage (F)" aria-label="Next failed stage">Next failed</button>
</nav>
</header>
<p class="hint">Click a stage, or Tab to it and press Enter, to open its log (a fanned-out stage lists its items); arrow keys move between stages. Wheel or +/− zoom, drag or arrow keys on the background pan, 0 fits, F goes to the next failed stage.</p>
<main id="graph"></main>`,
    );
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    for (const open of this.panels.values()) {
      clearTimeout(open.timer);
      open.panel.dispose();
    }
    this.panels.clear();
  }
}
