import * as vscode from 'vscode';
import type { ServerMirror, StoreChange } from './model/serverMirror';
import type { NodeView, RunTreeModel, TreeNode } from './model/treeModel';
import { TreeMemory } from './model/treeUpdates';

/** How long store changes are gathered into one tree refresh, so chatty runs never flood the view. */
const REFRESH_DELAY_MS = 80;

/**
 * The Runs tree view's data provider: a thin adapter from the pure
 * `RunTreeModel` to `vscode.TreeItem`s. `getChildren` does no I/O. A change
 * of one run redraws only the rows whose look changed (stable ids, so VS Code
 * updates them in place and an open tooltip stays); the pipeline list
 * changing redraws everything.
 */
export class RunTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | TreeNode[] | undefined>();
  private readonly subscription: vscode.Disposable;
  private readonly memory = new TreeMemory();
  private timer: NodeJS.Timeout | undefined;
  private pendingAll = false;
  private readonly pendingRuns = new Set<string>();

  /** Fires when rows must be redrawn. */
  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    private readonly model: RunTreeModel,
    store: ServerMirror,
  ) {
    this.subscription = store.onDidChange((change) => this.scheduleRefresh(change));
  }

  /** Draws one node. */
  getTreeItem(node: TreeNode): vscode.TreeItem {
    const view = this.model.describe(node, Date.now());
    if (!view) return new vscode.TreeItem('(gone)');
    this.memory.drew(node, view);
    return toTreeItem(view);
  }

  /** The children of `node`, from the store only. */
  getChildren(node?: TreeNode): TreeNode[] {
    const children = this.model.children(node);
    this.memory.listed(node, children);
    return children;
  }

  /** The parent of `node`, so the view can reveal it. */
  getParent(node: TreeNode): TreeNode | undefined {
    return this.model.parent(node);
  }

  /** Redraws everything now instead of at the end of the current burst of changes (before revealing a new row). */
  refreshNow(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.pendingRuns.clear();
    this.pendingAll = false;
    this.fireAll();
  }

  /** Stops listening to the store. */
  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.subscription.dispose();
    this.changed.dispose();
  }

  private scheduleRefresh(change: StoreChange): void {
    if (change.kind === 'pipelines') this.pendingAll = true;
    else this.pendingRuns.add(change.runId);
    if (this.timer) return;
    this.timer = setTimeout(() => this.flush(), REFRESH_DELAY_MS);
  }

  private flush(): void {
    this.timer = undefined;
    const runs = [...this.pendingRuns];
    this.pendingRuns.clear();
    if (this.pendingAll) {
      this.pendingAll = false;
      this.fireAll();
      return;
    }
    const now = Date.now();
    const nodes: TreeNode[] = [];
    for (const runId of runs) {
      const update = this.memory.updateForRun(this.model, runId, now);
      if (update.kind === 'all') return this.fireAll();
      nodes.push(...update.nodes);
    }
    if (nodes.length > 0) this.changed.fire(nodes);
  }

  private fireAll(): void {
    this.memory.clear();
    this.changed.fire(undefined);
  }
}

const COLLAPSIBLE: Record<NodeView['collapsible'], vscode.TreeItemCollapsibleState> = {
  none: vscode.TreeItemCollapsibleState.None,
  collapsed: vscode.TreeItemCollapsibleState.Collapsed,
  expanded: vscode.TreeItemCollapsibleState.Expanded,
};

function toTreeItem(view: NodeView): vscode.TreeItem {
  const item = new vscode.TreeItem(view.label, COLLAPSIBLE[view.collapsible]);
  item.id = view.id;
  item.contextValue = view.contextValue;
  item.iconPath = new vscode.ThemeIcon(
    view.icon.id,
    view.icon.color !== undefined ? new vscode.ThemeColor(view.icon.color) : undefined,
  );
  if (view.description !== undefined) item.description = view.description;
  if (view.tooltip !== undefined) {
    const tooltip = new vscode.MarkdownString(view.tooltip, true);
    tooltip.isTrusted = false;
    item.tooltip = tooltip;
  }
  if (view.command) {
    item.command = {
      command: view.command.command,
      title: view.command.title,
      arguments: [...view.command.arguments],
    };
  }
  return item;
}
