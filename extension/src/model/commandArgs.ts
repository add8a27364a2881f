import type { TreeNode } from './treeModel';

/** What a command was invoked on: a run, maybe one of its stages or prompts, or a pipeline. */
export interface CommandTarget {
  readonly runId?: string;
  readonly stageId?: string;
  readonly promptId?: string;
  readonly pipelineId?: string;
}

/**
 * The context a graph box's right-click menu hands its commands (its
 * `data-vscode-context`, plus VS Code's `webview` and `webviewSection`).
 */
interface GraphBoxContext {
  readonly webviewSection: 'stage';
  readonly batonStage: string;
  readonly batonPipeline: string;
  readonly batonRun?: string;
}

function isGraphBox(value: unknown): value is GraphBoxContext {
  const box = value as Partial<GraphBoxContext> | null;
  return (
    typeof value === 'object' &&
    box !== null &&
    box.webviewSection === 'stage' &&
    typeof box.batonStage === 'string' &&
    typeof box.batonPipeline === 'string'
  );
}

function isTreeNode(value: unknown): value is TreeNode {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { kind?: unknown }).kind === 'string'
  );
}

/**
 * Reads a command's arguments, which come from a tree context menu (the
 * `TreeNode`), a graph box's context menu, a tree item click or a notification link (plain ids), or
 * nothing at all (the command palette: the command then asks).
 */
export function commandTarget(
  args: readonly unknown[],
  second: 'stageId' | 'promptId' = 'stageId',
): CommandTarget {
  const [first, next] = args;
  if (isGraphBox(first)) {
    return {
      pipelineId: first.batonPipeline,
      stageId: first.batonStage,
      ...(first.batonRun !== undefined ? { runId: first.batonRun } : {}),
    };
  }
  if (isTreeNode(first)) {
    switch (first.kind) {
      case 'pipeline':
      case 'history':
        return { pipelineId: first.pipelineId };
      case 'run':
      case 'loading':
        return { runId: first.runId };
      case 'stage':
      case 'moreItems':
        return { runId: first.runId, stageId: first.stageId };
      case 'plannedStage':
        return { pipelineId: first.pipelineId, stageId: first.stageId };
      case 'prompt':
        return { runId: first.runId, promptId: first.promptId };
    }
  }
  if (typeof first !== 'string') return {};
  return typeof next === 'string' ? { runId: first, [second]: next } : { runId: first };
}
