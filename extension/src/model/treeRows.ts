import type { PromptInfo, StageSnapshot, WirePipeline, WireStage } from '@baton/protocol';
import { isUpToDateStage, runStatusWord, stageStatusWord } from '@baton/protocol';
import { CommandIds } from './commandIds';
import { formatClock } from './format';
import { inputsText, runName } from './runLabel';
import { runProgress } from './runProgress';
import { isActiveRun, isResumableRun, isRetryableStage } from './runStatus';
import { ranText } from './runTime';
import type { RunView } from './runView';
import { stageDescription } from './stageText';
import { NOT_STARTED_ICON, UP_TO_DATE_ICON, heldUpIcon, runIcon, stageIcon } from './statusIcons';
import { pipelineTooltip, promptTooltip, runTooltip, stageTooltip } from './tooltips';
import type { NodeView } from './treeNodes';

/** How each kind of row of the Runs tree is drawn; pure functions of the mirror's data. */

/** Longest list of changed inputs a run row shows (the tooltip has them all). */
const INPUTS_LENGTH = 32;

/** What a pipeline row needs besides the pipeline file. */
export interface PipelineRowFacts {
  readonly displayName: string;
  readonly runCount: number;
  readonly roots: readonly string[];
  /** The lock is held by a dead or silent owner: the row offers Break Stale Lock. */
  readonly staleLock: boolean;
}

/** A pipeline row: name, stage count and schedule; an invalid file with an error icon and its problem count. */
export function pipelineRow(pipeline: WirePipeline, facts: PipelineRowFacts): NodeView {
  const id = `pipeline:${pipeline.id}`;
  const tooltip = pipelineTooltip(pipeline, facts.displayName, facts.roots);
  // VS Code keeps a row's first collapsible state: a pipeline drawn without
  // runs must already be expandable, or its first run would stay hidden.
  const collapsible = 'expanded';
  if (!pipeline.valid) {
    const errors = pipeline.diagnostics.filter((d) => d.severity === 'error');
    const first = errors[0] ?? pipeline.diagnostics[0];
    const count = `${errors.length} problem${errors.length === 1 ? '' : 's'}`;
    const where = first ? ` · ${first.line}:${first.column} ${first.message}` : '';
    return {
      id,
      label: facts.displayName,
      description: `${count}${where}`,
      tooltip,
      icon: { id: 'error', color: 'list.errorForeground' },
      contextValue: facts.staleLock ? 'pipeline.invalid.lockStale' : 'pipeline.invalid',
      collapsible,
      command: {
        command: CommandIds.openPipelineFile,
        title: 'Open Pipeline File',
        arguments: [pipeline.file, first?.line ?? 1, first?.column ?? 1],
      },
    };
  }
  const stages = `${pipeline.stages.length} stage${pipeline.stages.length === 1 ? '' : 's'}`;
  const schedule = pipeline.schedule ? ` · ${pipeline.schedule.cron}` : '';
  const never = facts.runCount === 0 ? ' · never ran' : '';
  const lock = facts.staleLock ? ' · stale lock' : '';
  return {
    id,
    label: facts.displayName,
    description: `${stages}${schedule}${never}${lock}`,
    tooltip,
    icon: facts.staleLock ? { id: 'lock', color: 'list.warningForeground' } : { id: 'list-tree' },
    contextValue: facts.staleLock ? 'pipeline.lockStale' : 'pipeline',
    collapsible,
  };
}

/** The row of a pipeline whose file is gone but whose runs remain. */
export function removedPipelineRow(pipelineId: string, displayName: string): NodeView {
  return {
    id: `pipeline:${pipelineId}`,
    label: displayName,
    description: 'file removed',
    icon: { id: 'circle-slash' },
    contextValue: 'pipeline.removed',
    collapsible: 'expanded',
  };
}

/**
 * A run row: its name (`Literature review #14`), then status, the inputs that
 * differ from the defaults (`pillars=ALL`), time it ran, stages done and
 * percent, and when it started. The inputs follow the status rather than the
 * name, so a narrow side bar still shows the status. `newest` keeps the newest
 * run of a pipeline open; other finished runs are drawn collapsed.
 */
export function runRow(
  run: RunView,
  now: number,
  options: { readonly newest: boolean; readonly roots: readonly string[] },
): NodeView {
  const { summary } = run;
  const progress = runProgress(run);
  const active = isActiveRun(summary.status);
  const parts = [runStatusWord(summary.status)];
  const inputs = inputsText(summary.changedInputs);
  if (inputs !== '')
    parts.push(inputs.length > INPUTS_LENGTH ? `${inputs.slice(0, INPUTS_LENGTH - 1)}…` : inputs);
  const ran = ranText(summary, now);
  if (ran !== undefined) parts.push(ran);
  if (progress.total > 0) parts.push(`${progress.done}/${progress.total} · ${progress.percent}%`);
  const started = formatClock(summary.startedAt ?? summary.createdAt, now);
  parts.push(active ? `since ${started}` : started);
  const contextValue = active
    ? 'run.active'
    : isResumableRun(summary.status)
      ? 'run.resumable'
      : 'run.done';
  const open = active || options.newest;
  return {
    // VS Code keeps the expansion a row id was first drawn with: a finished run
    // that is no longer the newest gets an id of its own, so it is drawn closed.
    id: open ? `run:${summary.runId}` : `run:${summary.runId}/closed`,
    label: runName(summary),
    description: parts.join(' · '),
    tooltip: runTooltip(run, now, options.roots),
    icon: runIcon(summary.status),
    contextValue,
    collapsible: open ? 'expanded' : 'collapsed',
  };
}

/** A stage row of a run; a click shows the run's log. `lastLines` are what it printed last. */
export function stageRow(
  run: RunView,
  stage: StageSnapshot,
  now: number,
  lastLines: readonly string[] = [],
): NodeView {
  const notStarted = stageStatusWord(stage, run.summary.status) === 'not started';
  return {
    id: `stage:${run.summary.runId}/${stage.id}`,
    label: stage.id,
    description: stageDescription(stage, now, run.summary.status),
    tooltip: stageTooltip(run, stage, now, lastLines),
    icon: notStarted
      ? NOT_STARTED_ICON
      : isUpToDateStage(stage)
        ? UP_TO_DATE_ICON
        : stage.executorCondition !== undefined && stage.status === 'running'
          ? heldUpIcon(stage.executorCondition)
          : stageIcon(stage.status),
    contextValue: isRetryableStage(stage.status, run.summary.status) ? 'stage.retryable' : 'stage',
    collapsible: 'none',
    command: {
      command: CommandIds.showRunLog,
      title: 'Show Run Log',
      arguments: [run.summary.runId, stage.id],
    },
  };
}

/** A stage of a pipeline that never ran, from its file; a click opens the file at the stage. */
export function plannedStageRow(pipeline: WirePipeline, stage: WireStage): NodeView {
  const needs = stage.needs.length > 0 ? `needs ${stage.needs.join(', ')}` : 'not run yet';
  return {
    id: `planned:${pipeline.id}/${stage.id}`,
    label: stage.id,
    description: needs,
    icon: NOT_STARTED_ICON,
    contextValue: 'stage.planned',
    collapsible: 'none',
    command: {
      command: CommandIds.openPipelineFile,
      title: 'Open Pipeline File',
      arguments: [pipeline.file, stage.line ?? 1, stage.column ?? 1],
    },
  };
}

/** An open question, first under its run; a click answers it. */
export function promptRow(prompt: PromptInfo, now: number): NodeView {
  const parts: string[] = [prompt.stage ?? 'input'];
  if (prompt.deadline !== undefined)
    parts.push(prompt.deadline > now ? `until ${formatClock(prompt.deadline, now)}` : 'time is up');
  if (prompt.default !== undefined && prompt.secret !== true)
    parts.push(`default ${JSON.stringify(prompt.default)}`);
  return {
    id: `prompt:${prompt.runId}/${prompt.promptId}`,
    label: `Answer: ${prompt.message}`,
    description: parts.join(' · '),
    tooltip: promptTooltip(prompt, now),
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

/** The placeholder row of a run whose stages are being loaded. */
export function loadingRow(runId: string): NodeView {
  return {
    id: `loading:${runId}`,
    label: 'Loading stages…',
    icon: { id: 'loading~spin' },
    contextValue: 'loading',
    collapsible: 'none',
  };
}

/** "Show more…" under a pipeline's newest runs: a click opens the pipeline's whole history. */
export function historyRow(pipelineId: string, shown: number): NodeView {
  return {
    id: `history:${pipelineId}`,
    label: 'Show more…',
    description: `older runs than these ${shown}`,
    tooltip: 'Show the whole history of this pipeline, a page at a time',
    icon: { id: 'history' },
    contextValue: 'history',
    collapsible: 'none',
    command: {
      command: CommandIds.showHistory,
      title: 'Show History',
      arguments: [{ kind: 'history', pipelineId }],
    },
  };
}
