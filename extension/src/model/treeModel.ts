import type { PromptInfo, StageSnapshot, WirePipeline } from '@baton/protocol';
import { CommandIds } from './commandIds';
import { elapsed, formatClock, formatDuration } from './format';
import { runProgress } from './runProgress';
import { isActiveRun, isResumableRun, isRetryableStage } from './runStatus';
import type { ServerMirror } from './serverMirror';
import type { RunView } from './runView';
import type { IconSpec } from './statusIcons';
import { runIcon, runStatusWords, stageIcon, stageStatusWords } from './statusIcons';

/** A node of the Runs tree: only keys, so nodes stay valid while the store changes. */
export type TreeNode =
  | { readonly kind: 'pipeline'; readonly pipelineId: string }
  | { readonly kind: 'run'; readonly runId: string }
  | { readonly kind: 'stage'; readonly runId: string; readonly stageId: string }
  | { readonly kind: 'prompt'; readonly runId: string; readonly promptId: string }
  | { readonly kind: 'loading'; readonly runId: string };

/** A command a node runs when clicked. */
export interface NodeCommand {
  readonly command: string;
  readonly title: string;
  readonly arguments: readonly unknown[];
}

/** How a node is drawn: everything a `vscode.TreeItem` needs, without `vscode`. */
export interface NodeView {
  readonly id: string;
  readonly label: string;
  readonly description?: string;
  readonly tooltip?: string;
  readonly icon: IconSpec;
  /** Menus in the manifest key off this (`viewItem == run.active`, …). */
  readonly contextValue: string;
  readonly collapsible: 'none' | 'collapsed' | 'expanded';
  readonly command?: NodeCommand;
}

/** How many runs each pipeline shows, newest first. */
export const RUNS_PER_PIPELINE = 10;

/** A stable id for a node, used as the tree item id so expansion survives refreshes. */
export function nodeId(node: TreeNode): string {
  switch (node.kind) {
    case 'pipeline':
      return `pipeline:${node.pipelineId}`;
    case 'run':
      return `run:${node.runId}`;
    case 'stage':
      return `stage:${node.runId}/${node.stageId}`;
    case 'prompt':
      return `prompt:${node.runId}/${node.promptId}`;
    case 'loading':
      return `loading:${node.runId}`;
  }
}

/**
 * The Runs tree as a pure projection of the store: pipelines → runs → stages
 * → open prompts. Nothing here does I/O.
 */
export class RunTreeModel {
  constructor(private readonly store: ServerMirror) {}

  /** The children of `node`, or the roots (pipelines) without one. */
  children(node?: TreeNode): TreeNode[] {
    if (!node) return this.pipelineIds().map((pipelineId) => ({ kind: 'pipeline', pipelineId }));
    switch (node.kind) {
      case 'pipeline':
        return this.store
          .runsOf(node.pipelineId)
          .slice(0, RUNS_PER_PIPELINE)
          .map((run) => ({ kind: 'run', runId: run.summary.runId }));
      case 'run':
        return this.runChildren(node.runId);
      default:
        return [];
    }
  }

  /** The parent of `node` (for `TreeView.reveal`). */
  parent(node: TreeNode): TreeNode | undefined {
    switch (node.kind) {
      case 'pipeline':
        return undefined;
      case 'run': {
        const run = this.store.run(node.runId);
        return run ? { kind: 'pipeline', pipelineId: run.summary.pipeline } : undefined;
      }
      default:
        return { kind: 'run', runId: node.runId };
    }
  }

  /** How `node` is drawn at time `now`, or `undefined` when it no longer exists. */
  describe(node: TreeNode, now: number): NodeView | undefined {
    switch (node.kind) {
      case 'pipeline':
        return this.describePipeline(node.pipelineId);
      case 'run':
        return this.withRun(node.runId, (run) => describeRun(run, now));
      case 'stage':
        return this.withRun(node.runId, (run) => {
          const stage = run.stages.find((s) => s.id === node.stageId);
          return stage && describeStage(run, stage, now);
        });
      case 'prompt':
        return this.withRun(node.runId, (run) => {
          const prompt = run.prompts.find((p) => p.promptId === node.promptId);
          return prompt && describePrompt(prompt, now);
        });
      case 'loading':
        return {
          id: nodeId(node),
          label: 'Loading stages…',
          icon: { id: 'loading~spin' },
          contextValue: 'loading',
          collapsible: 'none',
        };
    }
  }

  private pipelineIds(): string[] {
    const ids = this.store.pipelines.map((p) => p.id);
    const known = new Set(ids);
    // Runs whose pipeline file is gone (deleted, renamed) still deserve a place.
    for (const run of this.store.allRuns()) {
      if (!known.has(run.summary.pipeline)) {
        known.add(run.summary.pipeline);
        ids.push(run.summary.pipeline);
      }
    }
    return ids;
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
    const stages: TreeNode[] = run.stages.map((s) => ({ kind: 'stage', runId, stageId: s.id }));
    return [...prompts, ...stages];
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
    const runs = this.store.runsOf(pipelineId);
    // VS Code keeps a row's first collapsible state: a pipeline drawn without
    // runs must already be expandable, or its first run would stay hidden.
    const collapsible = 'expanded';
    const id = `pipeline:${pipelineId}`;
    if (!pipeline) {
      const name = runs[0]?.summary.pipelineName ?? pipelineId;
      return {
        id,
        label: name,
        description: 'file removed',
        icon: { id: 'circle-slash' },
        contextValue: 'pipeline.removed',
        collapsible,
      };
    }
    if (!pipeline.valid) return describeInvalidPipeline(pipeline, id, collapsible);
    const stages = `${pipeline.stages.length} stage${pipeline.stages.length === 1 ? '' : 's'}`;
    const schedule = pipeline.schedule ? ` · ${pipeline.schedule.cron}` : '';
    return {
      id,
      label: pipeline.name,
      description: `${stages}${schedule}`,
      tooltip: [pipeline.name, pipeline.description, pipeline.file].filter(Boolean).join('\n'),
      icon: { id: 'list-tree' },
      contextValue: 'pipeline',
      collapsible,
    };
  }
}

function describeInvalidPipeline(
  pipeline: WirePipeline,
  id: string,
  collapsible: NodeView['collapsible'],
): NodeView {
  const first = pipeline.diagnostics.find((d) => d.severity === 'error') ?? pipeline.diagnostics[0];
  const where = first ? `${first.line}:${first.column} ` : '';
  return {
    id,
    label: pipeline.name || pipeline.id,
    description: first ? `${where}${first.message}` : 'invalid pipeline file',
    tooltip: [
      pipeline.file,
      ...pipeline.diagnostics.map((d) => `${d.line}:${d.column} ${d.severity}: ${d.message}`),
    ].join('\n'),
    icon: { id: 'warning', color: 'list.warningForeground' },
    contextValue: 'pipeline.invalid',
    collapsible,
    command: {
      command: CommandIds.openPipelineFile,
      title: 'Open Pipeline File',
      arguments: [pipeline.file, first?.line ?? 1, first?.column ?? 1],
    },
  };
}

function describeRun(run: RunView, now: number): NodeView {
  const { summary } = run;
  const progress = runProgress(run);
  // The start time leads: run ids are long and would push the status out of sight.
  const parts = [runStatusWords(summary.status)];
  const took = elapsed(summary.startedAt, summary.endedAt, now);
  if (summary.endedAt !== undefined && took !== undefined) parts.push(formatDuration(took));
  if (progress.total > 0) parts.push(`${progress.done}/${progress.total} · ${progress.percent}%`);
  parts.push(`#${summary.runId}`);
  const contextValue = isActiveRun(summary.status)
    ? 'run.active'
    : isResumableRun(summary.status)
      ? 'run.resumable'
      : 'run.done';
  const where = summary.local ? '' : '\nRun by another process (CLI or another window)';
  const reason = summary.reason ? `\n${summary.reason}` : '';
  return {
    id: `run:${summary.runId}`,
    label: formatClock(summary.startedAt ?? summary.createdAt, now),
    description: parts.join(' · '),
    tooltip: `${summary.pipelineName} #${summary.runId}: ${runStatusWords(summary.status)}${reason}${where}`,
    icon: runIcon(summary.status),
    contextValue,
    collapsible: isActiveRun(summary.status) ? 'expanded' : 'collapsed',
  };
}

/** The description of a stage row: attempt, progress, timing and why it failed. */
export function stageDescription(stage: StageSnapshot, now: number): string {
  const parts: string[] = [];
  if (stage.status !== 'running' && stage.status !== 'succeeded')
    parts.push(stageStatusWords(stage.status));
  if (stage.maxAttempts > 1 && stage.attempt > 0)
    parts.push(`attempt ${stage.attempt}/${stage.maxAttempts}`);
  if (stage.status === 'running' && stage.progress) {
    const { percent, message } = stage.progress;
    const text = [percent !== undefined ? `${Math.round(percent)}%` : '', message ?? '']
      .filter(Boolean)
      .join(' ');
    if (text) parts.push(text);
  }
  if (stage.status === 'retrying' && stage.retryAt !== undefined)
    parts.push(`next at ${formatClock(stage.retryAt, now)}`);
  const took = elapsed(stage.startedAt, stage.endedAt, now);
  if (stage.endedAt !== undefined && took !== undefined) parts.push(formatDuration(took));
  else if (stage.startedAt !== undefined && stage.status === 'running')
    parts.push(`since ${formatClock(stage.startedAt, now)}`);
  // Past runs tell how long the stage usually takes; the row is not redrawn
  // every second, so show the expectation rather than a countdown.
  if (stage.status === 'running' && stage.expectedMs !== undefined)
    parts.push(`usually ${formatDuration(stage.expectedMs)}`);
  if (stage.status === 'failed')
    parts.push(stage.reason ?? (stage.exitCode !== undefined ? `exit ${stage.exitCode}` : ''));
  return parts.filter(Boolean).join(' · ');
}

function describeStage(run: RunView, stage: StageSnapshot, now: number): NodeView {
  const diagnosis = run.diagnoses[stage.id];
  const tooltipLines = [`${stage.id}: ${stageStatusWords(stage.status)}`];
  if (stage.reason) tooltipLines.push(stage.reason);
  if (diagnosis)
    tooltipLines.push(
      `Quiet for ${formatDuration(diagnosis.idleMs)}; last lines:`,
      ...diagnosis.lastLines.slice(-5),
    );
  return {
    id: `stage:${run.summary.runId}/${stage.id}`,
    label: stage.id,
    description: stageDescription(stage, now),
    tooltip: tooltipLines.join('\n'),
    icon: stageIcon(stage.status),
    contextValue: isRetryableStage(stage.status, run.summary.status) ? 'stage.retryable' : 'stage',
    collapsible: 'none',
    command: {
      command: CommandIds.showRunLog,
      title: 'Show Run Log',
      arguments: [run.summary.runId, stage.id],
    },
  };
}

function describePrompt(prompt: PromptInfo, now: number): NodeView {
  const parts: string[] = [prompt.stage ?? 'input'];
  if (prompt.deadline !== undefined)
    parts.push(prompt.deadline > now ? `until ${formatClock(prompt.deadline, now)}` : 'time is up');
  if (prompt.default !== undefined && prompt.secret !== true)
    parts.push(`default ${JSON.stringify(prompt.default)}`);
  return {
    id: `prompt:${prompt.runId}/${prompt.promptId}`,
    label: `Answer: ${prompt.message}`,
    description: parts.join(' · '),
    tooltip: `${prompt.stage ? `${prompt.stage} asks` : 'Input'}: ${prompt.message}`,
    icon: { id: 'comment-discussion', color: 'list.warningForeground' },
    contextValue: 'prompt',
    collapsible: 'none',
    command: {
      command: CommandIds.answerPrompt,
      title: 'Answer Prompt',
      arguments: [prompt.runId, prompt.promptId],
    },
  };
}
