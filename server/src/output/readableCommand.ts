/**
 * How commands appear in a stage's log: a short readable line instead of the
 * raw `::name k=v::message` syntax, so a log reads like a story.
 */
import type { Progress } from '@baton/core';
import type { Annotation, PromptRequest } from './stageCommand';

/** `[progress] 30% (3/10) Translating`. */
export function describeProgress(progress: Progress): string {
  const parts = ['[progress]'];
  if (progress.percent !== undefined) parts.push(`${formatNumber(progress.percent)}%`);
  if (progress.value !== undefined && progress.total !== undefined) {
    parts.push(`(${formatNumber(progress.value)}/${formatNumber(progress.total)})`);
  }
  if (progress.message !== undefined && progress.message !== '') parts.push(progress.message);
  return parts.join(' ');
}

/** `[prompt go] Overwrite the results? (yes|no; default: no; timeout: 60s)`. */
export function describePrompt(id: string, prompt: PromptRequest): string {
  const details: string[] = [];
  if (prompt.options) details.push(prompt.options.join('|'));
  else if (prompt.type !== 'text') details.push(prompt.type);
  if (prompt.default !== undefined) details.push(`default: ${formatAnswer(prompt.default)}`);
  if (prompt.timeoutMs !== undefined)
    details.push(`timeout: ${formatNumber(prompt.timeoutMs / 1000)}s`);
  const suffix = details.length > 0 ? ` (${details.join('; ')})` : '';
  return `[prompt ${id}] ${prompt.message}${suffix}`;
}

/** `[warning] src/a.py:3:7: Title: message`. */
export function describeAnnotation(annotation: Annotation): string {
  let place = annotation.file ?? '';
  if (place !== '' && annotation.line !== undefined) {
    place += `:${annotation.line}`;
    if (annotation.col !== undefined) place += `:${annotation.col}`;
  }
  const parts = [`[${annotation.level}]`];
  if (place !== '') parts.push(`${place}:`);
  if (annotation.title !== undefined) parts.push(`${annotation.title}:`);
  parts.push(annotation.message);
  return parts.join(' ');
}

function formatAnswer(value: string | number | boolean | readonly string[]): string {
  if (Array.isArray(value)) return value.join('|');
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  return String(value);
}

function formatNumber(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}
