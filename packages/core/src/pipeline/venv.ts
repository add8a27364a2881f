import type { DiagnosticSink } from './diagnosticSink';
import type { StageSpec } from './model';
import type { SourceEntry, SourceNode } from './sourceNode';

/**
 * Reads a `venv:` value: the folder of a Python virtual environment, relative
 * to the pipeline file's folder, or (on a stage) `false` for none even when
 * the pipeline names one. Whether the folder is a venv is checked when the
 * stage starts, since an earlier stage may make it.
 */
export function readVenv(
  node: SourceNode,
  sink: DiagnosticSink,
  path: string,
  allowFalse: boolean,
): string | false | undefined {
  if (node.kind === 'scalar' && node.value === false && allowFalse) return false;
  if (node.kind !== 'scalar' || typeof node.value !== 'string' || node.value.trim() === '') {
    const expected = allowFalse ? 'the folder of a virtual environment, or false' : 'a folder';
    sink.error(node.range, 'wrong-type', `${path}: expected ${expected} (e.g. .venv).`);
    return undefined;
  }
  if (node.value.includes('${{')) {
    sink.error(
      node.range,
      'expression-not-substituted',
      `${path}: expressions are not substituted in venv; name the folder as it is.`,
    );
    return undefined;
  }
  return node.value;
}

/**
 * The stages with the pipeline's `venv` given to each that says nothing of
 * its own (a stage's `venv: false` keeps it out, e.g. the stage that makes it).
 */
export function applyPipelineVenv(
  stages: readonly { readonly spec: StageSpec; readonly fields: ReadonlyMap<string, unknown> }[],
  venvEntry: SourceEntry | undefined,
  sink: DiagnosticSink,
): { readonly venv?: string; readonly stages: StageSpec[] } {
  const venv = venvEntry && readVenv(venvEntry.value, sink, 'venv', false);
  if (typeof venv !== 'string') return { stages: stages.map((s) => s.spec) };
  return {
    venv,
    stages: stages.map((s) => (s.fields.has('venv') ? s.spec : { ...s.spec, venv })),
  };
}
