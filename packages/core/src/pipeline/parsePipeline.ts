import { DiagnosticSink, indexLines } from './diagnosticSink';
import { readEnv, readSecretNames } from './env';
import { isJsonPipelineFile, pipelineIdFromFile } from './files';
import { needsGraph } from './graph';
import type { Writable } from './writable';
import { readJsonSource } from './jsonSource';
import { TOP_LEVEL_KEYS } from './keys';
import type { Diagnostic, Pipeline } from './model';
import { checkKeys, describeNode, readEntries, readNumber, readText } from './readers';
import type { SourceEntry, SourceNode } from './sourceNode';
import { readInputs } from './validateInputs';
import { checkStageConditions } from './validateConditions';
import { checkNeeds } from './validateGraph';
import { checkStageResources, readPoolCounts } from './validatePools';
import {
  checkLiteralFields,
  checkStageReferences,
  checkTopLevelEnvReferences,
} from './validateReferences';
import { readSchedule } from './validateSchedule';
import { readStages } from './validateStages';
import { applyPipelineVenv } from './venv';
import { applyPipelineExecutor } from './executor';
import { readYamlSource } from './yamlSource';

/** What {@link parsePipeline} returns: the pipeline only when there are no errors, and every problem found. */
export interface ParseResult {
  readonly pipeline?: Pipeline;
  readonly diagnostics: Diagnostic[];
}

/**
 * Parses and validates a pipeline file. JSON is read as strict JSON when
 * `file` ends in `.json`, everything else as YAML. Returns every problem at
 * once, each with its position; `pipeline` is set only when none of them is
 * an error. Never throws, whatever the text.
 */
export function parsePipeline(text: string, file: string): ParseResult {
  // Untyped callers may pass anything; converting it could itself throw.
  const name = typeof file === 'string' ? file : '(unnamed pipeline file)';
  try {
    return parseUnguarded(typeof text === 'string' ? text : '', name);
  } catch (error) {
    // A bug (or a stack overflow on absurd nesting) must not take the caller down with it.
    const reason = error instanceof Error ? error.message : String(error);
    const sink = new DiagnosticSink(name, indexLines(''));
    sink.error(
      { start: 0, end: 0 },
      'internal-error',
      `Baton could not read this file (${reason}). Please report this as a bug.`,
    );
    return { diagnostics: [...sink.diagnostics] };
  }
}

function parseUnguarded(text: string, file: string): ParseResult {
  const { root, sink } = isJsonPipelineFile(file)
    ? readJsonSource(text, file)
    : readYamlSource(text, file);
  if (root === undefined) {
    if (!sink.hasErrors) {
      sink.error(
        { start: 0, end: 0 },
        'empty-file',
        'The file is empty; a pipeline needs at least "stages".',
      );
    }
    return { diagnostics: sorted(sink) };
  }
  const pipeline = readPipeline(root, text, file, sink);
  const diagnostics = sorted(sink);
  return pipeline !== undefined && !sink.hasErrors ? { pipeline, diagnostics } : { diagnostics };
}

function readPipeline(
  root: SourceNode,
  text: string,
  file: string,
  sink: DiagnosticSink,
): Pipeline | undefined {
  if (root.kind !== 'map') {
    sink.error(
      root.range,
      'wrong-type',
      `A pipeline file must be a mapping with "stages" (and optionally name, inputs, …), not ${describeNode(root)}.`,
    );
    return undefined;
  }
  const fields = readEntries(root, sink, 'top level') ?? new Map<string, SourceEntry>();
  checkKeys(fields, TOP_LEVEL_KEYS, sink, 'top level');
  const id = pipelineIdFromFile(file);
  const stagesEntry = fields.get('stages');
  if (stagesEntry === undefined) {
    const at = root.entries[0]?.keyRange ?? root.range;
    sink.error(at, 'missing-key', 'The pipeline has no "stages"; add at least one stage.');
  }
  const inputsEntry = fields.get('inputs');
  const inputs = inputsEntry === undefined ? [] : readInputs(inputsEntry.value, sink);
  const stages = stagesEntry === undefined ? [] : readStages(stagesEntry.value, sink);
  const envEntry = fields.get('env');
  const secretsEntry = fields.get('secrets');
  const venv = applyPipelineVenv(stages, fields.get('venv'), sink);
  const executor = applyPipelineExecutor(venv.stages, stages, fields.get('executor'), sink);
  const pipeline: Writable<Pipeline> = {
    id,
    file,
    name: optionalText(fields.get('name'), sink) ?? id,
    inputs,
    env: envEntry === undefined ? {} : readEnv(envEntry.value, sink, 'env'),
    secretEnv: secretsEntry === undefined ? [] : readSecretNames(secretsEntry.value, sink),
    stages: executor.stages,
  };
  if (venv.venv !== undefined) pipeline.venv = venv.venv;
  if (executor.executor !== undefined) pipeline.executor = executor.executor;
  const poolsEntry = fields.get('pools');
  const pools = poolsEntry && readPoolCounts(poolsEntry, sink, 'pools');
  if (pools !== undefined) pipeline.pools = pools;
  checkStageResources(stages, pools ?? {}, sink);
  readOptionalFields(fields, sink, pipeline);
  const declaredStages = new Set(declaredKeys(stagesEntry));
  checkNeeds(stages, declaredStages, sink);
  const scope = {
    text,
    inputIds: new Set(declaredKeys(inputsEntry)),
    stageIds: declaredStages,
    graph: needsGraph(pipeline),
  };
  checkStageReferences(stages, scope, sink);
  checkStageConditions(stages, scope, sink);
  checkLiteralFields(stages, sink);
  checkTopLevelEnvReferences(envEntry, scope, sink);
  return pipeline;
}

/** The top-level fields that have no default: description, concurrency, schedule, env_file. */
function readOptionalFields(
  fields: ReadonlyMap<string, SourceEntry>,
  sink: DiagnosticSink,
  pipeline: Writable<Pipeline>,
): void {
  const description = optionalText(fields.get('description'), sink);
  if (description !== undefined) pipeline.description = description;
  const envFile = optionalText(fields.get('env_file'), sink);
  if (envFile !== undefined) pipeline.envFile = envFile;
  const concurrency = fields.get('concurrency');
  if (concurrency !== undefined) {
    const value = readNumber(concurrency.value, sink, 'concurrency', {
      integer: true,
      min: 1,
      max: 10_000,
    });
    if (value !== undefined) pipeline.concurrency = value;
  }
  const schedule = fields.get('schedule');
  if (schedule !== undefined) {
    const value = readSchedule(schedule.value, sink);
    if (value !== undefined) pipeline.schedule = value;
  }
}

/** Every key of a mapping, valid or not, so one bad id does not cascade into "unknown" errors elsewhere. */
function declaredKeys(entry: SourceEntry | undefined): string[] {
  return entry?.value.kind === 'map' ? entry.value.entries.map((e) => e.key) : [];
}

function optionalText(entry: SourceEntry | undefined, sink: DiagnosticSink): string | undefined {
  return entry === undefined ? undefined : readText(entry.value, sink, entry.key);
}

/** Diagnostics in file order, so a terminal listing reads top to bottom. */
function sorted(sink: DiagnosticSink): Diagnostic[] {
  return [...sink.diagnostics].sort((a, b) => a.line - b.line || a.column - b.column);
}
