import type { IconSpec } from './statusIcons';

/** A node of the Runs tree: only keys, so nodes stay valid while the store changes. */
export type TreeNode =
  | { readonly kind: 'pipeline'; readonly pipelineId: string }
  | { readonly kind: 'run'; readonly runId: string }
  /** A stage of a run; also a unit `<stage>[<item>]`, under its fanned-out stage's row. */
  | { readonly kind: 'stage'; readonly runId: string; readonly stageId: string }
  /** A stage of a pipeline that never ran, read from its file. */
  | { readonly kind: 'plannedStage'; readonly pipelineId: string; readonly stageId: string }
  | { readonly kind: 'prompt'; readonly runId: string; readonly promptId: string }
  | { readonly kind: 'loading'; readonly runId: string }
  /** The "Show 100 more…" row after a page of a fanned-out stage's items. */
  | { readonly kind: 'moreItems'; readonly runId: string; readonly stageId: string }
  /** Under a fanned-out stage until its first page of items came from the server. */
  | { readonly kind: 'loadingItems'; readonly runId: string; readonly stageId: string }
  /** "Show more…" under a pipeline's newest runs: opens its whole history. */
  | { readonly kind: 'history'; readonly pipelineId: string };

/** A command a node runs when clicked. */
export interface NodeCommand {
  readonly command: string;
  readonly title: string;
  readonly arguments: readonly unknown[];
}

/** How a node is drawn: everything a `vscode.TreeItem` needs, without `vscode`. */
export interface NodeView {
  /** The node's stable id (`nodeId`): the same row keeps it for life, so it is updated in place. */
  readonly id: string;
  readonly label: string;
  readonly description?: string;
  /** Markdown (with `$(icon)` references). */
  readonly tooltip?: string;
  readonly icon: IconSpec;
  /** Menus in the manifest key off this (`viewItem == run.active`, …). */
  readonly contextValue: string;
  readonly collapsible: 'none' | 'collapsed' | 'expanded';
  readonly command?: NodeCommand;
}

/** A stable id for a node, used as the tree item id so expansion survives refreshes. */
export function nodeId(node: TreeNode): string {
  switch (node.kind) {
    case 'pipeline':
      return `pipeline:${node.pipelineId}`;
    case 'run':
      return `run:${node.runId}`;
    case 'stage':
      return `stage:${node.runId}/${node.stageId}`;
    case 'plannedStage':
      return `planned:${node.pipelineId}/${node.stageId}`;
    case 'prompt':
      return `prompt:${node.runId}/${node.promptId}`;
    case 'loading':
      return `loading:${node.runId}`;
    case 'moreItems':
      return `more:${node.runId}/${node.stageId}`;
    case 'loadingItems':
      return `loading-items:${node.runId}/${node.stageId}`;
    case 'history':
      return `history:${node.pipelineId}`;
  }
}
