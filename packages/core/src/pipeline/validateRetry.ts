import type { DiagnosticSink } from './diagnosticSink';
import { formatDuration } from './duration';
import type { Writable } from './writable';
import { RETRY_KEYS } from './keys';
import type { RetryPolicy } from './model';
import { checkKeys, readDuration, readEntries, readNumber } from './readers';
import type { SourceEntry, SourceNode } from './sourceNode';

/** Defaults in the spirit of Temporal: one attempt, 1 s backoff doubling up to 100× the first delay, no jitter. */
export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 1,
  backoffMs: 1_000,
  factor: 2,
  maxBackoffMs: 100_000,
  jitter: 0,
};

/**
 * Reads a stage's retry policy from `retry:` or the `retries: N` shorthand
 * (one of the two, not both), filling in defaults. `max_backoff` defaults to
 * 100× `backoff`.
 */
export function readRetry(
  fields: ReadonlyMap<string, SourceEntry>,
  sink: DiagnosticSink,
  path: string,
): RetryPolicy {
  const retry = fields.get('retry');
  const retries = fields.get('retries');
  if (retry !== undefined && retries !== undefined) {
    sink.error(
      retries.keyRange,
      'conflicting-keys',
      `${path}: use either "retry" or its shorthand "retries", not both.`,
    );
  }
  if (retries !== undefined) {
    const attempts = readNumber(retries.value, sink, `${path}.retries`, {
      integer: true,
      min: 1,
      max: 1000,
    });
    return { ...DEFAULT_RETRY, attempts: attempts ?? DEFAULT_RETRY.attempts };
  }
  return retry === undefined ? DEFAULT_RETRY : readRetryMapping(retry.value, sink, `${path}.retry`);
}

function readRetryMapping(node: SourceNode, sink: DiagnosticSink, path: string): RetryPolicy {
  const fields = readEntries(node, sink, path);
  if (fields === undefined) return DEFAULT_RETRY;
  checkKeys(fields, RETRY_KEYS, sink, path);
  const read = <T>(
    key: string,
    reader: (value: SourceNode, at: string) => T | undefined,
  ): T | undefined => {
    const entry = fields.get(key);
    return entry === undefined ? undefined : reader(entry.value, `${path}.${key}`);
  };
  const attempts = read('attempts', (v, at) =>
    readNumber(v, sink, at, { integer: true, min: 1, max: 1000 }),
  );
  const backoffMs =
    read('backoff', (v, at) => readDuration(v, sink, at, true)) ?? DEFAULT_RETRY.backoffMs;
  const factor = read('factor', (v, at) => readNumber(v, sink, at, { min: 1, max: 100 }));
  const maxBackoffMs = read('max_backoff', (v, at) => readDuration(v, sink, at, true));
  const jitter = read('jitter', (v, at) => readNumber(v, sink, at, { min: 0, max: 1 }));
  const onExitCodes = read('on_exit_codes', (v, at) => readExitCodes(v, sink, at));
  const policy: Writable<RetryPolicy> = {
    attempts: attempts ?? DEFAULT_RETRY.attempts,
    backoffMs,
    factor: factor ?? DEFAULT_RETRY.factor,
    maxBackoffMs: maxBackoffMs ?? backoffMs * 100,
    jitter: jitter ?? DEFAULT_RETRY.jitter,
  };
  if (onExitCodes !== undefined) policy.onExitCodes = onExitCodes;
  const maxEntry = fields.get('max_backoff');
  if (maxBackoffMs !== undefined && maxBackoffMs < backoffMs && maxEntry !== undefined) {
    sink.error(
      maxEntry.value.range,
      'out-of-range',
      `${path}.max_backoff: ${formatDuration(maxBackoffMs)} is shorter than backoff ${formatDuration(backoffMs)}; the cap must be at least the first delay.`,
    );
  }
  return policy;
}

function readExitCodes(node: SourceNode, sink: DiagnosticSink, path: string): number[] | undefined {
  if (node.kind !== 'seq') {
    sink.error(node.range, 'wrong-type', `${path}: expected a list of exit codes, e.g. [75, 143].`);
    return undefined;
  }
  const codes: number[] = [];
  node.items.forEach((item, index) => {
    const code = readNumber(item, sink, `${path}[${index}]`, { integer: true, min: 1, max: 255 });
    if (code !== undefined) codes.push(code);
  });
  return codes.length === node.items.length ? codes : undefined;
}
