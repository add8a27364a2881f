import type { DiagnosticSink } from './diagnosticSink';
import { findReferences } from './expressions';
import type { Reference } from './expressions';
import { ancestorsOf } from './graph';
import type { NeedsGraph } from './graph';
import type { DiagnosticFix, StageSpec } from './model';
import type { SourceEntry, SourceNode, SourceRange } from './sourceNode';
import { closestMatch, didYouMean, fixOf } from './suggest';
import type { ReadStage } from './validateStages';

/** What expressions may refer to, and where. */
export interface ReferenceScope {
  readonly text: string;
  readonly inputIds: ReadonlySet<string>;
  readonly stageIds: ReadonlySet<string>;
  readonly graph: NeedsGraph;
}

/** A templated value in the file: its text after parsing and the node it came from. */
interface Template {
  readonly value: string;
  readonly node: SourceNode;
  readonly path: string;
}

/** Checks every `${{ … }}` in the stages' `run`, `cwd` and `env` values. */
export function checkStageReferences(
  stages: readonly ReadStage[],
  scope: ReferenceScope,
  sink: DiagnosticSink,
): void {
  for (const stage of stages) {
    const templates = stageTemplates(stage);
    for (const template of templates) {
      checkTemplate(
        template,
        scope,
        sink,
        (reference, at) => checkStageOutput(stage.spec.id, reference, at, scope, sink),
        stage.spec,
      );
    }
    const run = templates[0];
    if (run !== undefined && run.path.endsWith('.run')) warnSingleQuoted(run, scope.text, sink);
  }
}

/** Fields whose values are used as written, where a `${{` would silently stay literal. */
const LITERAL_FIELDS = ['outputs', 'watch', 'deps'] as const;

/** Reports `${{ … }}` in stage fields that are not substituted (globs), which would never match. */
export function checkLiteralFields(stages: readonly ReadStage[], sink: DiagnosticSink): void {
  for (const stage of stages) {
    for (const field of LITERAL_FIELDS) {
      const node = stage.fields.get(field)?.value;
      const items = node === undefined ? [] : node.kind === 'seq' ? node.items : [node];
      for (const item of items) {
        if (item.kind !== 'scalar' || typeof item.value !== 'string' || !item.value.includes('${{'))
          continue;
        sink.error(
          item.range,
          'expression-not-substituted',
          `stages.${stage.spec.id}.${field}: expressions are substituted only in run, cwd and env; this glob would be used as written and never match.`,
        );
      }
    }
  }
}

/** Checks the top-level `env` values: only inputs exist before any stage has run. */
export function checkTopLevelEnvReferences(
  env: SourceEntry | undefined,
  scope: ReferenceScope,
  sink: DiagnosticSink,
): void {
  if (env?.value.kind !== 'map') return;
  for (const entry of env.value.entries) {
    if (entry.value.kind !== 'scalar' || typeof entry.value.value !== 'string') continue;
    const template = { value: entry.value.value, node: entry.value, path: `env.${entry.key}` };
    checkTemplate(template, scope, sink, (reference, at) => {
      sink.error(
        at,
        'stage-output-outside-stage',
        `env.${entry.key}: stages.${reference.stage}.outputs can only be used inside a stage that needs "${reference.stage}".`,
      );
    });
  }
}

function stageTemplates(stage: ReadStage): Template[] {
  const path = `stages.${stage.spec.id}`;
  const templates: Template[] = [];
  const add = (node: SourceNode | undefined, at: string): void => {
    if (node?.kind === 'scalar' && typeof node.value === 'string')
      templates.push({ value: node.value, node, path: at });
  };
  add(stage.fields.get('run')?.value, `${path}.run`);
  add(stage.fields.get('cwd')?.value, `${path}.cwd`);
  add(stage.fields.get('foreach')?.value, `${path}.foreach`);
  const env = stage.fields.get('env')?.value;
  if (env?.kind === 'map')
    for (const entry of env.entries) add(entry.value, `${path}.env.${entry.key}`);
  return templates;
}

type StageOutputCheck = (
  reference: Extract<Reference, { kind: 'stageOutput' }>,
  at: SourceRange,
) => void;

function checkTemplate(
  template: Template,
  scope: ReferenceScope,
  sink: DiagnosticSink,
  onStageOutput: StageOutputCheck,
  fanOut?: StageSpec,
): void {
  const { references, errors } = findReferences(template.value);
  const found = [
    ...errors.map((error) => ({ offset: error.offset, length: 3, error: error.message })),
    ...references.map((reference) => ({ ...reference, error: undefined })),
  ].sort((a, b) => a.offset - b.offset);
  const locate = locator(scope.text, template);
  for (const item of found) {
    const at = locate(item.offset, item.length);
    if (item.error !== undefined) {
      sink.error(at, 'bad-expression', `${template.path}: ${item.error}.`);
    } else if (item.kind === 'stageOutput') {
      onStageOutput(item, at);
    } else if (item.kind === 'item' || item.kind === 'matrix') {
      checkFanOutName(template.path, item, at, fanOut, sink);
    } else if (!scope.inputIds.has(item.id)) {
      sink.error(
        at,
        'unknown-input',
        `${template.path}: there is no input "${item.id}".${didYouMean(item.id, scope.inputIds)}`,
        fixOf(`inputs.${item.id}`, prefixed('inputs.', closestMatch(item.id, scope.inputIds))),
      );
    }
  }
}

/**
 * `${{ item }}` and `${{ matrix.<key> }}` exist only in a stage that fans
 * out (`foreach:` or `matrix:`), and a matrix key must be one of its own.
 */
export function checkFanOutName(
  path: string,
  reference: { kind: 'item' } | { kind: 'matrix'; key: string },
  at: SourceRange,
  spec: StageSpec | undefined,
  sink: DiagnosticSink,
): void {
  if (reference.kind === 'item') {
    if (spec?.foreach !== undefined || spec?.matrix !== undefined) return;
    sink.error(
      at,
      'item-outside-fan-out',
      `${path}: "item" exists only in a stage with "foreach" or "matrix".`,
    );
    return;
  }
  const matrix = spec?.matrix;
  if (matrix === undefined) {
    sink.error(
      at,
      'unknown-matrix-key',
      `${path}: matrix.${reference.key} exists only in a stage with "matrix".`,
    );
    return;
  }
  const keys = new Set([
    ...Object.keys(matrix.axes),
    ...matrix.include.flatMap((c) => Object.keys(c)),
  ]);
  if (keys.has(reference.key)) return;
  sink.error(
    at,
    'unknown-matrix-key',
    `${path}: the matrix has no key "${reference.key}".${didYouMean(reference.key, keys)}`,
    fixOf(reference.key, closestMatch(reference.key, keys)),
  );
}

function checkStageOutput(
  reader: string,
  reference: Extract<Reference, { kind: 'stageOutput' }>,
  at: SourceRange,
  scope: ReferenceScope,
  sink: DiagnosticSink,
): void {
  const path = `stages.${reader}`;
  const source = reference.stage;
  if (!scope.stageIds.has(source)) {
    sink.error(
      at,
      'unknown-stage',
      `${path}: there is no stage "${source}".${didYouMean(source, scope.stageIds)}`,
      fixOf(`stages.${source}.`, prefixed('stages.', closestMatch(source, scope.stageIds), '.')),
    );
  } else if (source === reader) {
    sink.error(
      at,
      'self-reference',
      `${path}: a stage cannot read its own outputs; they exist only after it finishes.`,
    );
  } else if (!ancestorsOf(scope.graph, reader).has(source)) {
    sink.error(
      at,
      'not-a-dependency',
      `${path}: reads stages.${source}.outputs.${reference.output}, but "${source}" is not among its needs (directly or through other stages), so it may not have run yet. Add "${source}" to needs.`,
    );
  }
}

/**
 * Maps offsets in a template's parsed value to file ranges. Quoting, escapes
 * and block scalars shift offsets, so each expression's text is searched for
 * in the node's source, continuing after the previous match (calls must come
 * in increasing offset order); failing that, the whole node.
 */
function locator(
  text: string,
  template: Template,
): (offset: number, length: number) => SourceRange {
  const { start, end } = template.node.range;
  const source = text.slice(start, end);
  let cursor = 0;
  return (offset, length) => {
    const needle = template.value.slice(offset, offset + length);
    const found = needle === '' ? -1 : source.indexOf(needle, cursor);
    if (found < 0) return template.node.range;
    cursor = found + needle.length;
    return { start: start + found, end: start + cursor };
  };
}

/** Single quotes stop the shell from expanding the `${VAR}` an expression becomes; say so. */
function warnSingleQuoted(run: Template, text: string, sink: DiagnosticSink): void {
  const quoted = singleQuotedSpans(run.value);
  const locate = locator(text, run);
  for (const reference of findReferences(run.value).references) {
    const at = locate(reference.offset, reference.length);
    if (!quoted.some(([from, to]) => reference.offset > from && reference.offset < to)) continue;
    sink.warning(
      at,
      'quoted-expression',
      `${run.path}: this expression is inside single quotes, where the shell will not expand it; use double quotes.`,
      unquoteFix(text, run.node, at),
    );
  }
}

/**
 * Closes the single quotes before the expression and reopens them after it,
 * double-quoting the expression alone: `'a ${{ x }} b'` becomes
 * `'a '"${{ x }}"' b'`, so the shell expands nothing else. Not offered in a
 * quoted YAML scalar, where the added quotes would end the scalar.
 */
function unquoteFix(text: string, node: SourceNode, at: SourceRange): DiagnosticFix | undefined {
  const written = text.slice(at.start, at.end);
  const first = text.charAt(node.range.start);
  if (first === "'" || first === '"' || !written.startsWith('${{')) return undefined;
  return {
    find: written,
    replaceWith: `'"${written}"'`,
    title: 'Leave the single quotes around this expression',
  };
}

/** [open, close] offsets of the single-quoted spans of a POSIX shell command. */
function singleQuotedSpans(command: string): [number, number][] {
  const spans: [number, number][] = [];
  let inDouble = false;
  for (let i = 0; i < command.length; i++) {
    const c = command.charAt(i);
    if (c === '\\') {
      i++;
    } else if (c === '"') {
      inDouble = !inDouble;
    } else if (c === "'" && !inDouble) {
      const close = command.indexOf("'", i + 1);
      const end = close < 0 ? command.length : close;
      spans.push([i, end]);
      i = end;
    }
  }
  return spans;
}

/** `match` between `before` and `after`, so a fix replaces a whole path segment. */
function prefixed(before: string, match: string | undefined, after = ''): string | undefined {
  return match === undefined ? undefined : `${before}${match}${after}`;
}
