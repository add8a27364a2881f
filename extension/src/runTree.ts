import * as vscode from 'vscode';
import type { ServerMirror } from './model/serverMirror';
import type { NodeView, RunTreeModel, TreeNode } from './model/treeModel';

/** How long store changes are gathered into one tree refresh, so chatty runs never flood the view. */
const REFRESH_DELAY_MS = 80;

/**
 * The Runs tree view's data provider: a thin adapter from the pure
 * `RunTreeModel` to `vscode.TreeItem`s. `getChildren` does no I/O; the tree
 * redraws when the store changes.
 */
export class RunTreeProvider implements vscode.TreeDataProvider<TreeNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<TreeNode | undefined>();
  private readonly subscription: vscode.Disposable;
  private timer: NodeJS.Timeout | undefined;

  /** Fires when the tree must be redrawn. */
  readonly onDidChangeTreeData = this.changed.event;

  constructor(
    private readonly model: RunTreeModel,
    store: ServerMirror,
  ) {
    this.subscription = store.onDidChange(() => this.scheduleRefresh());
  }

  /** Draws one node. */
  getTreeItem(node: TreeNode): vscode.TreeItem {
    const view = this.model.describe(node, Date.now());
    return view ? toTreeItem(view) : new vscode.TreeItem('(gone)');
  }

  /** The children of `node`, from the store only. */
  getChildren(node?: TreeNode): TreeNode[] {
    return this.model.children(node);
  }

  /** The parent of `node`, so the view can reveal it. */
  getParent(node: TreeNode): TreeNode | undefined {
    return this.model.parent(node);
  }

  /** Redraws now instead of at the end of the current burst of changes (before revealing a new row). */
  refreshNow(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    this.changed.fire(undefined);
  }

  /** Stops listening to the store. */
  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.subscription.dispose();
    this.changed.dispose();
  }

  private scheduleRefresh(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.changed.fire(undefined);
    }, REFRESH_DELAY_MS);
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
  if (view.tooltip !== undefined) item.tooltip = view.tooltip;
  if (view.command) {
    item.command = {
      command: view.command.command,
      title: view.command.title,
      arguments: [...view.command.arguments],
    };
  }
  return item;
}
