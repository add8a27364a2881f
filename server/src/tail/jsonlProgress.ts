/**
 * Progress from JSONL files a stage writes (`watch:` globs). A line that is a
 * JSON object with a `progress` and/or `message` field becomes progress
 * and/or a message; anything else stays a plain log line.
 *
 * Accepted forms:
 * - `{"progress": 42}`: percent (0..100).
 * - `{"progress": {"value": 3, "total": 10, "message": "file 3"}}`: percent is value/total.
 * - `{"progress": {"percent": 30}}`.
 * - `{"message": "text"}`: a message (also the progress message when both are present).
 */
import type { Progress } from '@baton/core';

/** What a JSONL line says. */
export interface JsonlProgress {
  readonly progress?: Progress;
  readonly message?: string;
}

function finite(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

function clampPercent(value: number): number {
  return Math.min(100, Math.max(0, value));
}

function progressFrom(raw: unknown, message: string | undefined): Progress | undefined {
  const withMessage = (progress: Progress): Progress =>
    message === undefined || progress.message !== undefined ? progress : { ...progress, message };
  const asNumber = finite(raw);
  if (asNumber !== undefined) return withMessage({ percent: clampPercent(asNumber) });
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return undefined;
  const fields = raw as Record<string, unknown>;
  const value = finite(fields.value);
  const total = finite(fields.total);
  const own = typeof fields.message === 'string' ? fields.message : undefined;
  let percent = finite(fields.percent);
  if (percent === undefined && value !== undefined && total !== undefined && total > 0) {
    percent = (value / total) * 100;
  }
  const progress: Progress = {
    ...(percent === undefined ? {} : { percent: clampPercent(percent) }),
    ...(value === undefined ? {} : { value }),
    ...(total === undefined ? {} : { total }),
    ...(own === undefined ? {} : { message: own }),
  };
  return Object.keys(progress).length === 0 ? undefined : withMessage(progress);
}

/**
 * Reads a JSONL line as progress and/or a message; undefined when the line is
 * not a JSON object or has neither field (then it is an ordinary log line).
 */
export function parseJsonlProgress(line: string): JsonlProgress | undefined {
  const trimmed = line.trim();
  if (!trimmed.startsWith('{')) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(trimmed);
  } catch {
    return undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return undefined;
  const record = value as Record<string, unknown>;
  const message = typeof record.message === 'string' ? record.message : undefined;
  const progress = 'progress' in record ? progressFrom(record.progress, message) : undefined;
  if (progress === undefined && message === undefined) return undefined;
  return {
    ...(progress === undefined ? {} : { progress }),
    ...(message === undefined ? {} : { message }),
  };
}
