import type { DiagnosticSink } from './diagnosticSink';
import { findReferences } from './expressions';
import { MATRIX_SPECIAL_KEYS } from './keys';
import type { MatrixSpec, StageSpec } from './model';
import { describeNode, readBoolean, readEntries, readNumber, readText } from './readers';
import type { SourceEntry, SourceNode } from './sourceNode';
import type { Writable } from './writable';

/** Most units one fanned-out stage may have (a matrix's combinations, before include/exclude). */
export const MAX_UNITS = 100_000;

/** Reads `matrix:`, `foreach:`, `max_parallel:` and `fail_fast:` of a stage into `spec`. */
export function readFanOut(
  fields: ReadonlyMap<string, SourceEntry>,
  sink: DiagnosticSink,
  path: string,
  spec: Writable<StageSpec>,
): void {
  const matrix = fields.get('matrix');
  const foreach = fields.get('foreach');
  if (matrix !== undefined && foreach !== undefined) {
    sink.error(
      foreach.keyRange,
      'matrix-and-foreach',
      `${path}: a stage fans out over either "matrix" or "foreach", not both.`,
    );
  }
  if (matrix !== undefined) {
    const value = readMatrix(matrix.value, sink, `${path}.matrix`);
    if (value !== undefined) spec.matrix = value;
  }
  if (foreach !== undefined) {
    const value = readText(foreach.value, sink, `${path}.foreach`);
    if (value !== undefined) spec.foreach = value.trim();
  }
  const maxParallel = fields.get('max_parallel');
  if (maxParallel !== undefined) {
    const value = readNumber(maxParallel.value, sink, `${path}.max_parallel`, {
      integer: true,
      min: 1,
      max: 10_000,
    });
    if (value !== undefined) spec.maxParallel = value;
  }
  const failFast = fields.get('fail_fast');
  if (failFast !== undefined) {
    const value = readBoolean(failFast.value, sink, `${path}.fail_fast`);
    if (value !== undefined) spec.failFast = value;
  }
  const fansOut = matrix !== undefined || foreach !== undefined;
  for (const key of ['max_parallel', 'fail_fast']) {
    const entry = fields.get(key);
    if (entry !== undefined && !fansOut) {
      sink.warning(
        entry.keyRange,
        'not-fanned-out',
        `${path}.${key}: only means something on a stage with "matrix" or "foreach".`,
      );
    }
  }
}

/** A scalar value of a matrix as text (numbers and booleans as written). */
function matrixValue(node: SourceNode, sink: DiagnosticSink, path: string): string | undefined {
  if (node.kind === 'scalar' && node.value !== null) return node.text;
  sink.error(
    node.range,
    'wrong-type',
    `${path}: expected a text, number or boolean, found ${describeNode(node)}.`,
  );
  return undefined;
}

function readCombinations(
  node: SourceNode,
  sink: DiagnosticSink,
  path: string,
): Record<string, string>[] {
  if (node.kind !== 'seq') {
    sink.error(
      node.range,
      'wrong-type',
      `${path}: expected a list of mappings such as [{ os: linux, node: 20 }].`,
    );
    return [];
  }
  const out: Record<string, string>[] = [];
  node.items.forEach((item, index) => {
    const entries = readEntries(item, sink, `${path}[${index}]`);
    if (entries === undefined) return;
    const combination: Record<string, string> = {};
    for (const [key, entry] of entries) {
      const value = matrixValue(entry.value, sink, `${path}[${index}].${key}`);
      if (value !== undefined) combination[key] = value;
    }
    out.push(combination);
  });
  return out;
}

function readMatrix(node: SourceNode, sink: DiagnosticSink, path: string): MatrixSpec | undefined {
  const entries = readEntries(node, sink, path);
  if (entries === undefined) return undefined;
  const axes: Record<string, string[]> = {};
  let combinations = 1;
  for (const [key, entry] of entries) {
    if ((MATRIX_SPECIAL_KEYS as readonly string[]).includes(key)) continue;
    if (!/^[A-Za-z_][A-Za-z0-9_-]*$/.test(key)) {
      sink.error(
        entry.keyRange,
        'bad-id',
        `${path}: "${key}" is not a valid matrix key (letters, digits, _ and -, starting with a letter or _).`,
      );
      continue;
    }
    if (entry.value.kind !== 'seq' || entry.value.items.length === 0) {
      sink.error(
        entry.value.range,
        'wrong-type',
        `${path}.${key}: expected a non-empty list of values, such as [linux, macos].`,
      );
      continue;
    }
    const values = entry.value.items.map((item, i) =>
      matrixValue(item, sink, `${path}.${key}[${i}]`),
    );
    axes[key] = values.filter((v): v is string => v !== undefined);
    combinations *= values.length;
  }
  const include = entries.get('include');
  const exclude = entries.get('exclude');
  const spec: MatrixSpec = {
    axes,
    include: include === undefined ? [] : readCombinations(include.value, sink, `${path}.include`),
    exclude: exclude === undefined ? [] : readCombinations(exclude.value, sink, `${path}.exclude`),
  };
  if (Object.keys(axes).length === 0 && spec.include.length === 0) {
    sink.error(
      node.range,
      'empty-matrix',
      `${path}: a matrix needs at least one key with a list of values, or "include".`,
    );
  }
  if (combinations > MAX_UNITS) {
    sink.error(
      node.range,
      'matrix-too-large',
      `${path}: ${combinations} combinations; at most ${MAX_UNITS} are allowed.`,
    );
  }
  checkExcludeKeys(spec, exclude, sink, path);
  return spec;
}

/** Each key of an `exclude` entry must be one of the matrix's own keys. */
function checkExcludeKeys(
  spec: MatrixSpec,
  exclude: SourceEntry | undefined,
  sink: DiagnosticSink,
  path: string,
): void {
  const { axes } = spec;
  for (const [index, combination] of spec.exclude.entries()) {
    for (const key of Object.keys(combination)) {
      if (Object.hasOwn(axes, key)) continue;
      const at = exclude?.value.kind === 'seq' ? exclude.value.items[index]?.range : undefined;
      sink.error(
        at ?? exclude?.keyRange ?? { start: 0, end: 0 },
        'unknown-matrix-key',
        `${path}.exclude[${index}]: "${key}" is not a key of this matrix (${Object.keys(axes).join(', ')}).`,
      );
    }
  }
}

/**
 * The stage output a dynamic `foreach:` reads, or undefined for a glob. A
 * foreach is dynamic when it is exactly one `${{ stages.<s>.outputs.<name> }}`.
 */
export function foreachSource(foreach: string): { stage: string; output: string } | undefined {
  const { references } = findReferences(foreach);
  const [first] = references;
  if (references.length !== 1 || first?.kind !== 'stageOutput') return undefined;
  if (first.offset !== 0 || first.length !== foreach.length) return undefined;
  return { stage: first.stage, output: first.output };
}
