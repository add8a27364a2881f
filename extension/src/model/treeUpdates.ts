import type { RunTreeModel } from './treeModel';
import type { NodeView, TreeNode } from './treeNodes';
import { nodeId } from './treeNodes';

/** Which rows to redraw after a change: every row, or only these (each with its children). */
export type TreeUpdate =
  { readonly kind: 'all' } | { readonly kind: 'nodes'; readonly nodes: TreeNode[] };

/**
 * Remembers what the view was last given (each row's look, each row's
 * children), so a change of one run redraws only the rows that changed. A
 * running stage's progress tick then updates that one row in place: its
 * tooltip stays open and nothing else flickers. Pure: the tree adapter
 * records what it hands to VS Code and asks what to redraw.
 */
export class TreeMemory {
  /** Per node key: the row's look (JSON) and the item id VS Code was given. */
  private readonly views = new Map<string, { readonly look: string; readonly id: string }>();
  private readonly children = new Map<string, string>();

  /** Records a row as drawn. */
  drew(node: TreeNode, view: NodeView): void {
    this.views.set(nodeId(node), { look: JSON.stringify(view), id: view.id });
  }

  /** Records the children handed out for `parent` (undefined: the roots). */
  listed(parent: TreeNode | undefined, nodes: readonly TreeNode[]): void {
    this.children.set(parent ? nodeId(parent) : '', nodes.map(nodeId).join('\n'));
  }

  /** Forgets everything (after a full redraw). */
  clear(): void {
    this.views.clear();
    this.children.clear();
  }

  /**
   * What to redraw after run `runId` changed: every row when the pipelines'
   * order or a pipeline's runs changed; the run (with its children) when its
   * rows came or went; else only the rows whose look changed.
   */
  updateForRun(model: RunTreeModel, runId: string, now: number): TreeUpdate {
    if (this.childrenChanged(model, undefined)) return { kind: 'all' };
    const run = model.intern({ kind: 'run', runId });
    const pipeline = model.parent(run);
    if (!pipeline || this.childrenChanged(model, pipeline)) return { kind: 'all' };
    const pipelineChanged = this.lookChanged(model, pipeline, now);
    if (this.childrenChanged(model, run))
      return { kind: 'nodes', nodes: pipelineChanged ? [pipeline] : [run] };
    const nodes = this.lookChanged(model, run, now) ? [run] : [];
    nodes.push(...this.changedUnder(model, run, now));
    return { kind: 'nodes', nodes: pipelineChanged ? [pipeline, ...nodes] : nodes };
  }

  /**
   * The rows under `parent` to redraw: each child whose look changed, and
   * under an expanded child (a fanned-out stage showing a page of its items)
   * the child itself when its rows came or went, else its changed rows.
   */
  private changedUnder(model: RunTreeModel, parent: TreeNode, now: number): TreeNode[] {
    const nodes: TreeNode[] = [];
    for (const child of model.children(parent)) {
      const changed = this.lookChanged(model, child, now);
      if (!this.children.has(nodeId(child))) {
        if (changed) nodes.push(child);
      } else if (changed || this.childrenChanged(model, child)) {
        // Redrawing a row redraws its children too.
        nodes.push(child);
      } else {
        nodes.push(...this.changedUnder(model, child, now));
      }
    }
    return nodes;
  }

  private childrenChanged(model: RunTreeModel, parent: TreeNode | undefined): boolean {
    const key = parent ? nodeId(parent) : '';
    const before = this.children.get(key);
    // Children the view never asked for (a collapsed row) need no redraw of their own.
    if (before === undefined) return false;
    return before !== model.children(parent).map(nodeId).join('\n');
  }

  private lookChanged(model: RunTreeModel, node: TreeNode, now: number): boolean {
    const before = this.views.get(nodeId(node));
    if (before === undefined) return false;
    const view = model.describe(node, now);
    return view === undefined || JSON.stringify(view) !== before.look;
  }
}
