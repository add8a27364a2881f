import * as vscode from 'vscode';
import type { RunTimeline } from '@baton/protocol';
import { errorText } from './model/errorText';
import { runName } from './model/runLabel';
import type { ServerMirror } from './model/serverMirror';
import type { TimelineView } from './model/timelineLayout';
import { timelineLayout } from './model/timelineLayout';
import { webviewHtml } from './webviewHtml';

/** A changed run's timeline is asked for again at most this often. */
const REFRESH_MS = 300;
/** While the run goes on, open bars and the now-line move this often. */
const TICK_MS = 1000;

interface OpenPanel {
  readonly panel: vscode.WebviewPanel;
  readonly runId: string;
  readonly expanded: Set<string>;
  ready: boolean;
  disposed: boolean;
  timeline?: RunTimeline;
  /** Why the timeline could not be loaded, while there is none to draw. */
  problem?: string;
  /** A fetch is under way; `again` asks for one more after it. */
  fetching: boolean;
  again: boolean;
  timer: ReturnType<typeof setTimeout> | undefined;
  /** The view posted last (read by the integration tests). */
  last?: TimelineView;
  /** When the last view was posted, and what laying it out and fetching it cost (ms). */
  postedAt: number;
  cost: number;
}

/** What the panels need from the rest of the extension. */
export interface TimelineDeps {
  readonly store: ServerMirror;
  readonly media: vscode.Uri;
  /** `baton/getRunTimeline`. */
  readonly fetch: (runId: string) => Promise<RunTimeline>;
  readonly openStageLog: (runId: string, stage: string, attempt: number) => Promise<void>;
  readonly onError: (what: string, error: unknown) => void;
}

/**
 * The run timeline: a webview per run with its stages' attempts as bars on
 * one time axis (`model/timelineLayout.ts`). The server folds the run's event
 * log into the timeline (`baton/getRunTimeline`); the panel asks again when
 * the mirror says the run changed (the same notifications the tree and the
 * graph follow, no polling) and after every reconnect, so a restarted server
 * is caught up from the run's own log. Strict CSP, no network.
 */
export class TimelinePanels implements vscode.Disposable {
  private readonly panels = new Map<string, OpenPanel>();
  private readonly subscription: vscode.Disposable;
  private readonly ticker: ReturnType<typeof setInterval>;

  constructor(private readonly deps: TimelineDeps) {
    this.subscription = deps.store.onDidChange((change) => {
      if (change.kind !== 'run') return;
      const open = this.panels.get(change.runId);
      if (open) this.schedule(open);
    });
    this.ticker = setInterval(() => {
      for (const open of this.panels.values())
        if (open.timeline?.endedAt === undefined && Date.now() - open.postedAt >= pace(open))
          this.post(open);
    }, TICK_MS);
  }

  /** Opens (or reveals) the timeline of a run. */
  show(runId: string): void {
    const existing = this.panels.get(runId);
    if (existing) {
      existing.panel.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      'baton.timeline',
      'Run Timeline',
      vscode.ViewColumn.Active,
      { enableScripts: true, localResourceRoots: [this.deps.media] },
    );
    const open: OpenPanel = {
      panel,
      runId,
      expanded: new Set(),
      ready: false,
      disposed: false,
      fetching: false,
      again: false,
      timer: undefined,
      postedAt: 0,
      cost: 0,
    };
    this.panels.set(runId, open);
    panel.webview.html = webviewHtml(
      panel.webview,
      this.deps.media,
      'timeline',
      'Run Timeline',
      TIMELINE_BODY,
    );
    panel.webview.onDidReceiveMessage((message: TimelineMessage) => this.onMessage(open, message));
    panel.onDidDispose(() => {
      open.disposed = true;
      clearTimeout(open.timer);
      this.panels.delete(runId);
    });
    void this.refresh(open);
  }

  /** Asks every open timeline again (after a reconnect: the server may be a new one). */
  refreshAll(): void {
    for (const open of this.panels.values()) void this.refresh(open);
  }

  /** The views the open panels show now, for the tests. */
  shown(): TimelineView[] {
    return [...this.panels.values()].flatMap((open) => (open.last ? [open.last] : []));
  }

  private onMessage(open: OpenPanel, message: TimelineMessage): void {
    if (message.type === 'ready') {
      open.ready = true;
      this.post(open);
    } else if (message.type === 'open' && typeof message.stage === 'string') {
      const attempt = typeof message.attempt === 'number' ? message.attempt : 0;
      void this.deps.openStageLog(open.runId, message.stage, attempt);
    } else if (message.type === 'toggle' && typeof message.stage === 'string') {
      if (!open.expanded.delete(message.stage)) open.expanded.add(message.stage);
      this.post(open);
    }
  }

  private schedule(open: OpenPanel): void {
    if (open.timer !== undefined) return;
    open.timer = setTimeout(() => {
      open.timer = undefined;
      void this.refresh(open);
    }, pace(open));
  }

  private async refresh(open: OpenPanel): Promise<void> {
    if (open.fetching) {
      open.again = true;
      return;
    }
    open.fetching = true;
    const began = Date.now();
    try {
      open.timeline = await this.deps.fetch(open.runId);
      this.post(open);
      open.cost = Date.now() - began;
    } catch (error) {
      const what = `Could not load the timeline of run ${open.runId}`;
      this.deps.onError(what, error);
      // A panel with nothing to draw says why instead of "Loading…".
      open.problem = `${what}: ${errorText(error)}`;
      this.post(open);
    } finally {
      open.fetching = false;
      if (open.again) {
        open.again = false;
        this.schedule(open);
      }
    }
  }

  private post(open: OpenPanel): void {
    if (!open.ready || open.disposed) return;
    if (!open.timeline) {
      if (open.problem !== undefined)
        void open.panel.webview.postMessage({ type: 'error', message: open.problem });
      return;
    }
    const run = this.deps.store.run(open.runId);
    const title = run ? runName(run.summary) : open.runId;
    const began = Date.now();
    const view = timelineLayout(open.timeline, title, began, open.expanded);
    open.last = view;
    open.postedAt = Date.now();
    open.cost = Math.max(open.cost, open.postedAt - began);
    open.panel.title = `Timeline: ${title}`;
    void open.panel.webview.postMessage({ type: 'timeline', view });
  }

  dispose(): void {
    clearInterval(this.ticker);
    this.subscription.dispose();
    for (const open of this.panels.values()) open.panel.dispose();
    this.panels.clear();
  }
}

/** The page's static part; `media/timeline.js` draws the rest. */
const TIMELINE_BODY = `<header>
<h1 id="title">Loading…</h1>
<p class="hint">Arrow keys move between bars (up and down between rows), Enter opens that attempt's log; Enter on a group folds or unfolds its items.</p>
<ul class="legend" aria-label="Legend">
<li><span class="swatch phase-queued"></span>queued</li>
<li><span class="swatch phase-backoff"></span>retry backoff</li>
<li><span class="swatch phase-pool"></span>waiting for a pool slot</li>
<li><span class="swatch phase-input"></span>waiting for input</li>
<li><span class="swatch phase-running"></span>running</li>
<li><span class="swatch ended end-succeeded"></span>ran, succeeded</li>
<li><span class="swatch ended end-failed"></span>ran, failed</li>
<li><span class="swatch ended end-cancelled"></span>ran, cancelled or interrupted</li>
<li><span class="swatch expected"></span>usual time</li>
</ul>
</header>
<div id="axis" aria-hidden="true"></div>
<main id="rows" role="grid" aria-label="Run timeline"></main>`;

/**
 * How often a panel is redrawn at most: a big timeline (thousands of items
 * unfolded) waits ten times what it cost last, so it never keeps the
 * extension host busy.
 */
function pace(open: OpenPanel): number {
  return Math.max(REFRESH_MS, TICK_MS / 2, 10 * open.cost);
}

/** What the webview sends: it is ready, a bar was opened, a group was folded or unfolded. */
interface TimelineMessage {
  readonly type?: string;
  readonly stage?: unknown;
  readonly attempt?: unknown;
}
