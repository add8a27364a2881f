import type { DiagnosticSink } from './diagnosticSink';
import { readEnv } from './env';
import { checkId, checkIdCollisions, positionOf } from './ids';
import type { Writable } from './writable';
import { STAGE_KEYS } from './keys';
import type { StageSpec } from './model';
import {
  checkKeys,
  readBoolean,
  readDuration,
  readEntries,
  readText,
  readTextList,
} from './readers';
import type { SourceEntry, SourceNode } from './sourceNode';
import { readRetry } from './validateRetry';
import { readConditionText } from './validateConditions';
import { readFanOut } from './validateFanOut';
import { readPoolCounts } from './validatePools';
import { readVenv } from './venv';
import { readExecutor } from './executor';

/** A stage as read, with the source of the fields later checks (needs, expressions) point into. */
export interface ReadStage {
  readonly spec: StageSpec;
  readonly entry: SourceEntry;
  readonly fields: ReadonlyMap<string, SourceEntry>;
}

/** Reads the `stages:` mapping, in declaration order. Cross-stage checks live in validateGraph. */
export function readStages(node: SourceNode, sink: DiagnosticSink): ReadStage[] {
  const entries = readEntries(node, sink, 'stages', 'stage');
  if (entries === undefined) return [];
  if (entries.size === 0) {
    sink.error(node.range, 'no-stages', 'stages: a pipeline needs at least one stage.');
    return [];
  }
  checkIdCollisions(entries, sink, 'stage');
  const stages: ReadStage[] = [];
  for (const entry of entries.values()) {
    const stage = readStage(entry, sink);
    if (stage !== undefined) stages.push(stage);
  }
  return stages;
}

function readStage(entry: SourceEntry, sink: DiagnosticSink): ReadStage | undefined {
  const validId = checkId(entry, sink, 'stage');
  const path = `stages.${entry.key}`;
  if (entry.value.kind === 'scalar' && typeof entry.value.value === 'string') {
    // A common slip: `build: make` instead of `build: { run: make }`.
    const hint = `${path}: a stage is a mapping with at least "run"; write ${entry.key}: { run: ${entry.value.value} }.`;
    sink.error(entry.value.range, 'wrong-type', hint);
    return undefined;
  }
  const fields = readEntries(entry.value, sink, path);
  if (fields === undefined) return undefined;
  checkKeys(fields, STAGE_KEYS, sink, path);
  const read = <T>(
    key: string,
    reader: (value: SourceNode, at: string) => T | undefined,
  ): T | undefined => {
    const field = fields.get(key);
    return field === undefined ? undefined : reader(field.value, `${path}.${key}`);
  };
  const spec: Writable<StageSpec> = {
    id: entry.key,
    run: readRun(entry, fields.get('run'), sink, path) ?? '',
    env: read('env', (v, at) => readEnv(v, sink, at)) ?? {},
    needs: read('needs', (v, at) => readTextList(v, sink, at, true)) ?? [],
    retry: readRetry(fields, sink, path),
    outputs: read('outputs', (v, at) => readTextList(v, sink, at, true)) ?? [],
    watch: read('watch', (v, at) => readTextList(v, sink, at, true)) ?? [],
    deps: read('deps', (v, at) => readTextList(v, sink, at, true)) ?? [],
    cache: read('cache', (v, at) => readBoolean(v, sink, at)) ?? true,
    continueOnError: read('continue_on_error', (v, at) => readBoolean(v, sink, at)) ?? false,
    position: positionOf(entry, sink),
  };
  const cwd = read('cwd', (v, at) => readText(v, sink, at));
  if (cwd !== undefined) spec.cwd = cwd;
  const timeoutMs = read('timeout', (v, at) => readDuration(v, sink, at));
  if (timeoutMs !== undefined) spec.timeoutMs = timeoutMs;
  const idleTimeoutMs = read('idle_timeout', (v, at) => readDuration(v, sink, at));
  if (idleTimeoutMs !== undefined) spec.idleTimeoutMs = idleTimeoutMs;
  readFanOut(fields, sink, path, spec);
  const resources = fields.get('resources');
  const counts = resources && readPoolCounts(resources, sink, `${path}.resources`);
  if (counts !== undefined) spec.resources = counts;
  const condition = read('if', (v, at) => readConditionText(v, sink, at));
  if (condition !== undefined) spec.if = condition;
  const venv = read('venv', (v, at) => readVenv(v, sink, at, true));
  if (typeof venv === 'string') spec.venv = venv;
  const executor = read('executor', (v, at) => readExecutor(v, sink, at));
  if (executor?.type === 'bullmq') spec.executor = executor;
  return validId ? { spec, entry, fields } : undefined;
}

function readRun(
  stage: SourceEntry,
  run: SourceEntry | undefined,
  sink: DiagnosticSink,
  path: string,
): string | undefined {
  if (run === undefined) {
    sink.error(
      stage.keyRange,
      'missing-key',
      `${path}: a stage needs "run", the command to execute.`,
    );
    return undefined;
  }
  const node = run.value;
  if (
    node.kind === 'scalar' &&
    (node.value === null || (typeof node.value === 'string' && node.value.trim() === ''))
  ) {
    sink.error(
      node.value === null ? run.keyRange : node.range,
      'empty-run',
      `${path}.run: the command is empty.`,
    );
    return undefined;
  }
  return readText(node, sink, `${path}.run`);
}
