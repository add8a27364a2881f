import {
  historyRow,
  loadingRow,
  pipelineRow,
  plannedStageRow,
  promptRow,
  removedPipelineRow,
  runRow,
  stageRow,
} from './treeRows';
import type { StageSnapshot } from '@baton/protocol';
import { declaredFanOuts, topLevelStages } from './itemGroups';
import { fanOutRow, itemRow, loadingItemsRow, moreItemsRow } from './itemRows';
import { fanOutOf, heldUnit } from './itemWindow';
import type { RunView } from './runView';
import { stagePosition } from './stageIndex';
import type { ServerMirror } from './serverMirror';
import type { NodeView, TreeNode } from './treeNodes';
import { nodeId } from './treeNodes';

export type { NodeCommand, NodeView, TreeNode } from './treeNodes';
export { nodeId } from './treeNodes';
export { stageDescription } from './stageText';

/** How many runs each pipeline shows, newest first. */
export const RUNS_PER_PIPELINE = 10;

/**
 * The Runs tree as a pure projection of the mirror: pipelines (the most
 * recently run first) → their runs (newest first) → a run's open questions,
 * then its stages. A pipeline that never ran shows its stages from the file.
 * Nothing here does I/O. `roots` are the workspace folders, for relative paths.
 */
export class RunTreeModel {
  /** One node object per row id: VS Code finds a row to redraw by the very object it was given. */
  private readonly interned = new Map<string, TreeNode>();

  constructor(
    private readonly store: ServerMirror,
    private readonly roots: () => readonly string[] = () => [],
  ) {}

  /** The children of `node`, or the roots (pipelines) without one; the same objects every time. */
  children(node?: TreeNode): TreeNode[] {
    return this.childrenOf(node).map((child) => this.intern(child));
  }

  /** The one node object of a row (the given one, the first time its id is seen). */
  intern(node: TreeNode): TreeNode {
    const id = nodeId(node);
    const known = this.interned.get(id);
    if (known) return known;
    this.interned.set(id, node);
    return node;
  }

  /** The parent of `node` (for `TreeView.reveal`). */
  parent(node: TreeNode): TreeNode | undefined {
    const parent = this.parentOf(node);
    return parent && this.intern(parent);
  }

  /** Asks for the next page of a fanned-out stage's items (the "Show more" row). */
  showMoreItems(runId: string, stageId: string): void {
    this.store.needItems(runId, stageId, true);
  }

  /** Whether a stage of a run is drawn as a fanned-out stage: it has items, or its file says it will. */
  isFanOut(run: RunView, stage: StageSnapshot): boolean {
    if (stage.items !== undefined) return true;
    if (stage.unitOf !== undefined) return false;
    const pipeline = this.store.pipelines.find((p) => p.id === run.summary.pipeline);
    return declaredFanOuts(pipeline).has(stage.id);
  }

  private childrenOf(node?: TreeNode): TreeNode[] {
    if (!node) return this.pipelineIds().map((pipelineId) => ({ kind: 'pipeline', pipelineId }));
    switch (node.kind) {
      case 'pipeline':
        return this.pipelineChildren(node.pipelineId);
      case 'run':
        return this.runChildren(node.runId);
      case 'stage':
        return this.itemChildren(node.runId, node.stageId);
      default:
        return [];
    }
  }

  /**
   * The items of a fanned-out stage the store holds (pages read from the
   * server, failed and running first), then a "Show more" row; a "Loading"
   * row until the first page came. A missing or stale window is asked for:
   * the owner reads it, and the store's change redraws the rows.
   */
  private itemChildren(runId: string, stageId: string): TreeNode[] {
    if (fanOutOf(stageId) !== undefined) return [];
    const run = this.store.run(runId);
    const stage = run?.stages[stagePosition(run.stages, stageId)];
    if (!run || !stage || !this.isFanOut(run, stage)) return [];
    const window = run.items?.[stageId];
    if (window === undefined || window.stale) this.store.needItems(runId, stageId);
    if (window === undefined) return [{ kind: 'loadingItems', runId, stageId }];
    const rows: TreeNode[] = window.units.map((unit) => ({
      kind: 'stage',
      runId,
      stageId: unit.id,
    }));
    if (window.nextCursor !== undefined) rows.push({ kind: 'moreItems', runId, stageId });
    return rows;
  }

  private parentOf(node: TreeNode): TreeNode | undefined {
    switch (node.kind) {
      case 'pipeline':
        return undefined;
      case 'plannedStage':
      case 'history':
        return { kind: 'pipeline', pipelineId: node.pipelineId };
      case 'run': {
        const run = this.store.run(node.runId);
        return run ? { kind: 'pipeline', pipelineId: run.summary.pipeline } : undefined;
      }
      case 'stage': {
        const of = fanOutOf(node.stageId);
        return of !== undefined
          ? { kind: 'stage', runId: node.runId, stageId: of }
          : { kind: 'run', runId: node.runId };
      }
      case 'moreItems':
      case 'loadingItems':
        return { kind: 'stage', runId: node.runId, stageId: node.stageId };
      default:
        return { kind: 'run', runId: node.runId };
    }
  }

  /** How `node` is drawn at time `now`, or `undefined` when it no longer exists. */
  describe(node: TreeNode, now: number): NodeView | undefined {
    switch (node.kind) {
      case 'pipeline':
        return this.describePipeline(node.pipelineId);
      case 'plannedStage': {
        const pipeline = this.store.pipelines.find((p) => p.id === node.pipelineId);
        const stage = pipeline?.stages.find((s) => s.id === node.stageId);
        return pipeline && stage && plannedStageRow(pipeline, stage);
      }
      case 'run':
        return this.withRun(node.runId, (run) =>
          runRow(run, now, { newest: this.isNewest(run), roots: this.roots() }),
        );
      case 'stage':
        return this.withRun(node.runId, (run) => {
          const unit = heldUnit(run.items, node.stageId);
          if (unit) return itemRow(run, unit, now);
          const stage = run.stages[stagePosition(run.stages, node.stageId)];
          if (!stage) return undefined;
          if (this.isFanOut(run, stage)) return fanOutRow(run, stage, now);
          return stageRow(run, stage, now, this.store.tails.lines(run.summary.runId, stage.id));
        });
      case 'moreItems':
        return this.withRun(node.runId, (run) => {
          const window = run.items?.[node.stageId];
          if (window?.nextCursor === undefined) return undefined;
          const stage = run.stages[stagePosition(run.stages, node.stageId)];
          const total = stage?.items?.total ?? window.units.length;
          return moreItemsRow(node.runId, node.stageId, window.units.length, total);
        });
      case 'loadingItems':
        return loadingItemsRow(node.runId, node.stageId);
      case 'prompt':
        return this.withRun(node.runId, (run) => {
          const prompt = run.prompts.find((p) => p.promptId === node.promptId);
          return prompt && promptRow(prompt, now);
        });
      case 'loading':
        return loadingRow(node.runId);
      case 'history':
        return historyRow(node.pipelineId, RUNS_PER_PIPELINE);
    }
  }

  /** Pipeline ids: those with runs, the most recently run first, then those that never ran, by file. */
  private pipelineIds(): string[] {
    const latest = new Map<string, number>();
    for (const run of this.store.allRuns())
      if (!latest.has(run.summary.pipeline))
        latest.set(run.summary.pipeline, run.summary.createdAt);
    // Runs whose pipeline file is gone (deleted, renamed) still deserve a place.
    const ids = [...new Set([...this.store.pipelines.map((p) => p.id), ...latest.keys()])];
    const order = new Map(ids.map((id, index) => [id, index]));
    return ids.sort(
      (a, b) =>
        (latest.get(b) ?? -Infinity) - (latest.get(a) ?? -Infinity) ||
        (order.get(a) ?? 0) - (order.get(b) ?? 0),
    );
  }

  private pipelineChildren(pipelineId: string): TreeNode[] {
    const runs = this.store.runsOf(pipelineId);
    if (runs.length > 0) {
      const shown: TreeNode[] = runs
        .slice(0, RUNS_PER_PIPELINE)
        .map((run) => ({ kind: 'run', runId: run.summary.runId }));
      // More runs than the tree keeps, known here or (after a cut first load) on the server.
      const more =
        runs.length > RUNS_PER_PIPELINE ||
        (runs.length === RUNS_PER_PIPELINE && this.store.hasOlderRuns);
      return more ? [...shown, { kind: 'history', pipelineId }] : shown;
    }
    const pipeline = this.store.pipelines.find((p) => p.id === pipelineId);
    return (pipeline?.stages ?? []).map((stage) => ({
      kind: 'plannedStage',
      pipelineId,
      stageId: stage.id,
    }));
  }

  private runChildren(runId: string): TreeNode[] {
    const run = this.store.run(runId);
    if (!run) return [];
    // Open questions come first, right under their run: a row's children only
    // show if it was expandable when first drawn, which a stage is not.
    const prompts: TreeNode[] = run.prompts.map((p) => ({
      kind: 'prompt',
      runId,
      promptId: p.promptId,
    }));
    if (!run.detailed && run.stages.length === 0) return [...prompts, { kind: 'loading', runId }];
    // A fanned-out stage's units are listed under its own row, never flat here.
    const stages: TreeNode[] = topLevelStages(run.stages).map((s) => ({
      kind: 'stage',
      runId,
      stageId: s.id,
    }));
    return [...prompts, ...stages];
  }

  private isNewest(run: RunView): boolean {
    return this.store.runsOf(run.summary.pipeline)[0]?.summary.runId === run.summary.runId;
  }

  private withRun(
    runId: string,
    draw: (run: RunView) => NodeView | undefined,
  ): NodeView | undefined {
    const run = this.store.run(runId);
    return run && draw(run);
  }

  private describePipeline(pipelineId: string): NodeView {
    const pipeline = this.store.pipelines.find((p) => p.id === pipelineId);
    const displayName = this.store.pipelineName(pipelineId);
    if (!pipeline) return removedPipelineRow(pipelineId, displayName);
    const runCount = this.store.runsOf(pipelineId).length;
    const staleLock = this.store.hasStaleLock(pipelineId);
    return pipelineRow(pipeline, { displayName, runCount, roots: this.roots(), staleLock });
  }
}
