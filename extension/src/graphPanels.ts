import * as vscode from 'vscode';
import { CommandIds } from './model/commandIds';
import type { GraphModel } from './model/graphModel';
import { pipelineGraph, runGraph } from './model/graphModel';
import type { ServerMirror } from './model/serverMirror';
import { webviewHtml } from './webviewHtml';

/** What a graph panel shows: one run, or a pipeline (its newest run once it has one). */
export type GraphSubject = { readonly runId: string } | { readonly pipelineId: string };

interface OpenPanel {
  readonly panel: vscode.WebviewPanel;
  readonly subject: GraphSubject;
  ready: boolean;
  /** The graph posted last (read by the integration tests). */
  last?: GraphModel;
}

/**
 * The pipeline graph: a webview per run or pipeline, the stages as boxes laid
 * out by their `needs` (`graphModel.ts`, dagre), coloured by status and
 * redrawn on every change of the run. A click (or Enter) on a box opens that
 * stage's log, or the pipeline file at the stage before any run. Strict CSP:
 * one script and one stylesheet from the extension, no network.
 */
export class GraphPanels implements vscode.Disposable {
  private readonly panels = new Map<string, OpenPanel>();
  private readonly subscription: vscode.Disposable;

  constructor(
    private readonly store: ServerMirror,
    private readonly media: vscode.Uri,
  ) {
    this.subscription = store.onDidChange(() => {
      for (const open of this.panels.values()) this.post(open);
    });
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
        open.ready = true;
        this.post(open);
      } else if (message.type === 'timeline' && open.last?.runId !== undefined) {
        const runId = open.last.runId;
        void vscode.commands.executeCommand(CommandIds.showTimeline, { kind: 'run', runId });
      } else if (message.type === 'open' && typeof message.stage === 'string') {
        void this.openStage(open, message.stage);
      }
    });
    panel.onDidDispose(() => this.panels.delete(key));
  }

  /** The graphs the open panels show now, for the tests. */
  shown(): GraphModel[] {
    return [...this.panels.values()].flatMap((open) => (open.last ? [open.last] : []));
  }

  private graphOf(subject: GraphSubject): GraphModel | undefined {
    const now = Date.now();
    if ('runId' in subject) {
      const run = this.store.run(subject.runId);
      return run ? runGraph(run, now) : undefined;
    }
    // An invalid file shows its problems first, even when an older run could be drawn.
    const file = this.store.pipelines.find((p) => p.id === subject.pipelineId);
    if (file?.valid === false) return pipelineGraph(file);
    const newest = this.store.runsOf(subject.pipelineId)[0];
    if (newest && newest.stages.length > 0) return runGraph(newest, now);
    const pipeline = this.store.pipelines.find((p) => p.id === subject.pipelineId);
    return pipeline ? pipelineGraph(pipeline) : undefined;
  }

  private post(open: OpenPanel): void {
    const graph = this.graphOf(open.subject);
    if (!graph || !open.ready) return;
    open.last = graph;
    open.panel.title = `Graph: ${graph.title}`;
    void open.panel.webview.postMessage({ type: 'graph', graph });
  }

  private async openStage(open: OpenPanel, stage: string): Promise<void> {
    const runId = open.last?.runId;
    if (runId !== undefined) {
      await vscode.commands.executeCommand(CommandIds.showStageLog, runId, stage);
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

  private html(webview: vscode.Webview): string {
    return webviewHtml(
      webview,
      this.media,
      'graph',
      'Pipeline Graph',
      `<header><h1 id="title">Loading…</h1><button id="timeline" hidden>Show Timeline</button></header>
<p class="hint">Click a stage, or Tab to it and press Enter, to open its log; arrow keys move between stages.</p>
<main id="graph"></main>`,
    );
  }

  dispose(): void {
    this.subscription.dispose();
    for (const open of this.panels.values()) open.panel.dispose();
    this.panels.clear();
  }
}
