import type { PromptInfo, StageSnapshot, WirePipeline } from '@baton/protocol';
import { attemptText, runStatusWord, stageStatusWord } from '@baton/protocol';
import { answeredBy } from './answeredPrompts';
import { elapsed, formatClock, formatDuration } from './format';
import { codeBlock, escapeMarkdown, inlineCode, workspaceRelative } from './markdown';
import { inputsText, runName } from './runLabel';
import { runProgress } from './runProgress';
import { ranText } from './runTime';
import type { RunView } from './runView';
import { failureText, progressText } from './stageText';

/** How many lines of a quiet stage's last output a tooltip shows. */
const LAST_LINES = 5;

/**
 * Rich tooltips of the Runs tree, as Markdown: a bold title with the status
 * word, then one fact a line. Paths are relative to the workspace folder;
 * everything a stage or a user wrote is escaped or in code.
 */
export function runTooltip(run: RunView, now: number, roots: readonly string[]): string {
  const { summary } = run;
  const progress = runProgress(run);
  const lines = [`**${escapeMarkdown(runName(summary))}** · ${runStatusWord(summary.status)}`, ''];
  const inputs = inputsText(summary.changedInputs);
  if (inputs !== '') lines.push(`Inputs: ${inlineCode(inputs)}`);
  const started = summary.startedAt ?? summary.createdAt;
  const ran = ranText(summary, now);
  lines.push(`Started ${formatClock(started, now)}${ran !== undefined ? ` · ${ran}` : ''}`);
  if (progress.total > 0)
    lines.push(`Stages: ${progress.done}/${progress.total} done · ${progress.percent}%`);
  if (summary.reason !== undefined) lines.push(escapeMarkdown(summary.reason));
  if (!summary.local) lines.push('Run by another process (the CLI or another window)');
  lines.push(`Run id: ${inlineCode(summary.runId)}`);
  lines.push(`File: ${inlineCode(workspaceRelative(summary.file, roots))}`);
  return paragraphs(lines);
}

/**
 * A stage's tooltip: status, timing, attempts, where it ran (remote), why it
 * failed, its last answer, its last lines.
 */
export function stageTooltip(
  run: RunView,
  stage: StageSnapshot,
  now: number,
  lastLines: readonly string[] = [],
): string {
  const word = stageStatusWord(stage, run.summary.status);
  const lines = [`**${escapeMarkdown(stage.id)}** · ${word}`, ''];
  const timing: string[] = [];
  if (stage.startedAt !== undefined) timing.push(`started ${formatClock(stage.startedAt, now)}`);
  const took = elapsed(stage.startedAt, stage.endedAt, now);
  if (stage.endedAt !== undefined && took !== undefined)
    timing.push(`took ${formatDuration(took)}`);
  if (stage.expectedMs !== undefined)
    timing.push(`usually takes ${formatDuration(stage.expectedMs)}`);
  if (timing.length > 0) lines.push(capitalise(timing.join(' · ')));
  const attempts = attemptText(stage);
  if (attempts !== undefined) lines.push(capitalise(attempts));
  if (stage.where !== undefined) {
    const verb = stage.status === 'running' ? 'Runs' : 'Ran';
    lines.push(`${verb} on ${escapeMarkdown(stage.where)}`);
  }
  const progress = progressText(stage);
  if (progress !== undefined && stage.status === 'running')
    lines.push(`Progress: ${escapeMarkdown(progress)}`);
  // Why the stage ran, or why it was up to date ("up to date: unchanged since run …").
  if (stage.plan !== undefined) lines.push(`Plan: ${escapeMarkdown(stage.plan)}`);
  if (stage.status === 'failed' || stage.status === 'cancelled' || stage.status === 'skipped') {
    const why = failureText(stage);
    if (why !== undefined) lines.push(escapeMarkdown(why));
  }
  const lastError = run.annotations
    .filter((entry) => entry.stage === stage.id && entry.annotation.severity === 'error')
    .at(-1)?.annotation;
  if (lastError && stage.status === 'failed') {
    const title = lastError.title !== undefined ? `${escapeMarkdown(lastError.title)}: ` : '';
    lines.push(`Error: ${title}${escapeMarkdown(lastError.message)}`);
  }
  const answered = run.answered[stage.id];
  if (answered) {
    const what =
      answered.answer === undefined ? 'a secret answer' : inlineCode(shownAnswer(answered.answer));
    lines.push(`Asked “${escapeMarkdown(answered.message)}”: ${what} ${answeredBy(answered.by)}`);
  }
  const diagnosis = run.diagnoses[stage.id];
  if (diagnosis) {
    lines.push(`Quiet for ${formatDuration(diagnosis.idleMs)}; its last lines:`);
    lines.push(codeBlock(diagnosis.lastLines.slice(-LAST_LINES)));
  } else if (stage.status === 'failed' && lastLines.length > 0) {
    lines.push('Its last lines:');
    lines.push(codeBlock(lastLines.slice(-LAST_LINES)));
  }
  return paragraphs(lines);
}

/** A pipeline's tooltip: name, description, stages, schedule, file and any problems. */
export function pipelineTooltip(
  pipeline: WirePipeline,
  displayName: string,
  roots: readonly string[],
): string {
  const lines = [`**${escapeMarkdown(displayName)}**`, ''];
  if (pipeline.description !== undefined) lines.push(escapeMarkdown(pipeline.description));
  if (pipeline.stages.length > 0)
    lines.push(`Stages: ${pipeline.stages.map((s) => inlineCode(s.id)).join(' → ')}`);
  if (pipeline.schedule)
    lines.push(
      `Schedule: ${inlineCode(pipeline.schedule.cron)}${pipeline.schedule.timezone ? ` (${escapeMarkdown(pipeline.schedule.timezone)})` : ''}`,
    );
  lines.push(`File: ${inlineCode(workspaceRelative(pipeline.file, roots))}`);
  for (const d of pipeline.diagnostics)
    lines.push(
      `${d.severity === 'error' ? '$(error)' : '$(warning)'} ${d.line}:${d.column} ${escapeMarkdown(d.message)}`,
    );
  return paragraphs(lines);
}

/** A prompt's tooltip: who asks, the whole question, its default and deadline. */
export function promptTooltip(prompt: PromptInfo, now: number): string {
  const who = prompt.stage !== undefined ? `${escapeMarkdown(prompt.stage)} asks` : 'Input';
  const lines = [`**${who}**`, '', escapeMarkdown(prompt.message)];
  if (prompt.options !== undefined && prompt.options.length > 0)
    lines.push(`Options: ${prompt.options.map(inlineCode).join(', ')}`);
  if (prompt.default !== undefined && prompt.secret !== true)
    lines.push(`Default: ${inlineCode(shownAnswer(prompt.default))}`);
  if (prompt.deadline !== undefined)
    lines.push(
      prompt.deadline > now
        ? `Until ${formatClock(prompt.deadline, now)}, then the default applies (or the stage fails)`
        : 'Time is up',
    );
  lines.push('Click to answer.');
  return paragraphs(lines);
}

function shownAnswer(value: PromptInfo['default']): string {
  if (Array.isArray(value)) return value.join(', ');
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Markdown paragraphs: a blank line after the title, a hard break between the other lines. */
function paragraphs(lines: readonly string[]): string {
  const [title, , ...rest] = lines;
  return `${title ?? ''}\n\n${rest.join('  \n')}`;
}
