import type { DiagnosticSink } from './diagnosticSink';
import { EXECUTOR_KEYS } from './keys';
import type { ExecutorSpec, StageSpec } from './model';
import { checkKeys, describeNode, readEntries } from './readers';
import type { SourceEntry, SourceNode } from './sourceNode';
import { didYouMean } from './suggest';

/** The executor types a pipeline may name. */
export const EXECUTOR_TYPES = ['local', 'bullmq'] as const;

/**
 * A queue name: letters, digits, `.`, `_`, `-`, starting with a letter or
 * digit. BullMQ builds Redis keys as `<prefix>:<queue>:…`, so a colon or a
 * space in a queue name would make keys that other tools misread.
 */
export const QUEUE_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

/**
 * Reads an `executor:` value: `local`, `{ type: local }` or
 * `{ type: bullmq, queue: <name> }`. The Redis connection is never read here
 * (it comes from `--redis`/`BATON_REDIS_URL`), so no password is committed
 * with a pipeline.
 */
export function readExecutor(
  node: SourceNode,
  sink: DiagnosticSink,
  path: string,
): ExecutorSpec | undefined {
  if (node.kind === 'scalar' && node.value === 'local') return { type: 'local' };
  if (node.kind === 'scalar' && node.value === 'bullmq') {
    sink.error(
      node.range,
      'missing-key',
      `${path}: bullmq needs a queue; write executor: { type: bullmq, queue: <name> }.`,
    );
    return undefined;
  }
  if (node.kind !== 'map') {
    sink.error(
      node.range,
      'wrong-type',
      `${path}: expected local or { type: bullmq, queue: <name> }, not ${describeNode(node)}.`,
    );
    return undefined;
  }
  const fields = readEntries(node, sink, path);
  if (fields === undefined) return undefined;
  checkConnectionKeys(fields, sink, path);
  checkKeys(
    new Map([...fields].filter(([key]) => !CONNECTION_KEYS.includes(key))),
    EXECUTOR_KEYS,
    sink,
    path,
  );
  const type = fields.get('type');
  if (type === undefined) {
    sink.error(
      node.range,
      'missing-key',
      `${path}: say which executor with type: local or bullmq.`,
    );
    return undefined;
  }
  const name = type.value.kind === 'scalar' ? String(type.value.value) : '';
  if (name === 'local') return readLocal(fields, sink, path);
  if (name !== 'bullmq') {
    sink.error(
      type.value.range,
      'unknown-executor',
      `${path}.type: unknown executor '${name}'; expected local or bullmq.${didYouMean(name, EXECUTOR_TYPES)}`,
    );
    return undefined;
  }
  return readQueue(node, fields.get('queue'), sink, path);
}

/** Keys people may try for the Redis connection, which never belongs in a pipeline file. */
const CONNECTION_KEYS: readonly string[] = ['redis', 'url', 'connection', 'host', 'password'];

function checkConnectionKeys(
  fields: ReadonlyMap<string, SourceEntry>,
  sink: DiagnosticSink,
  path: string,
): void {
  for (const key of CONNECTION_KEYS) {
    const entry = fields.get(key);
    if (entry === undefined) continue;
    sink.error(
      entry.keyRange,
      'connection-in-pipeline',
      `${path}.${key}: the Redis connection is not part of a pipeline (a password would be committed with it); give it with --redis <url> or BATON_REDIS_URL.`,
    );
  }
}

function readLocal(
  fields: ReadonlyMap<string, SourceEntry>,
  sink: DiagnosticSink,
  path: string,
): ExecutorSpec {
  const queue = fields.get('queue');
  if (queue !== undefined) {
    sink.error(queue.keyRange, 'unknown-key', `${path}.queue: only a bullmq executor has a queue.`);
  }
  return { type: 'local' };
}

function readQueue(
  node: SourceNode,
  queue: SourceEntry | undefined,
  sink: DiagnosticSink,
  path: string,
): ExecutorSpec | undefined {
  if (queue === undefined) {
    sink.error(node.range, 'missing-key', `${path}: a bullmq executor needs queue: <name>.`);
    return undefined;
  }
  const value = queue.value;
  if (value.kind !== 'scalar' || typeof value.value !== 'string') {
    sink.error(value.range, 'wrong-type', `${path}.queue: expected a queue name, e.g. gpu.`);
    return undefined;
  }
  if (!QUEUE_NAME_PATTERN.test(value.value)) {
    sink.error(
      value.range,
      'bad-queue',
      `${path}.queue: '${value.value}' is no queue name; use letters, digits, '.', '_' and '-' (e.g. gpu).`,
    );
    return undefined;
  }
  return { type: 'bullmq', queue: value.value };
}

/**
 * The stages (`stages`, as read in `read`) with the pipeline's `executor:`
 * given to each that names none.
 * A local executor is left out of the model (absent means local), so
 * pipelines without `executor:` read exactly as before.
 */
export function applyPipelineExecutor(
  stages: readonly StageSpec[],
  read: readonly { readonly spec: StageSpec; readonly fields: ReadonlyMap<string, unknown> }[],
  entry: SourceEntry | undefined,
  sink: DiagnosticSink,
): { readonly executor?: ExecutorSpec; readonly stages: readonly StageSpec[] } {
  const executor = entry && readExecutor(entry.value, sink, 'executor');
  if (executor === undefined || executor.type === 'local') return { stages };
  // A stage that says `executor:` itself keeps it, `local` included.
  const stageExecutors = new Set(
    read.filter((s) => s.fields.has('executor')).map((s) => s.spec.id),
  );
  return {
    executor,
    stages: stages.map((spec) => (stageExecutors.has(spec.id) ? spec : { ...spec, executor })),
  };
}

/** The queues of the stages that run through BullMQ, sorted; empty when every stage runs locally. */
export function bullmqQueues(stages: readonly StageSpec[]): string[] {
  const queues = new Set<string>();
  for (const spec of stages) {
    if (spec.executor?.type === 'bullmq') queues.add(spec.executor.queue);
  }
  return [...queues].sort();
}
