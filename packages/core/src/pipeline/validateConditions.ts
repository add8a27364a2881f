import type { ConditionNode } from './conditionSyntax';
import { parseCondition } from './conditionSyntax';
import { CONDITION_FUNCTIONS, STATUS_FUNCTIONS, callsStatusFunction } from './conditionValue';
import type { DiagnosticSink } from './diagnosticSink';
import { ancestorsOf } from './graph';
import { describeNode } from './readers';
import type { SourceNode, SourceRange } from './sourceNode';
import { closestMatch, didYouMean, fixOf } from './suggest';
import type { ReferenceScope } from './validateReferences';
import { checkFanOutName } from './validateReferences';
import type { ReadStage } from './validateStages';

/**
 * Reads a stage's `if:` as text: a string, or a boolean written bare
 * (`if: false` turns a stage off). Anything else is an error.
 */
export function readConditionText(
  node: SourceNode,
  sink: DiagnosticSink,
  path: string,
): string | undefined {
  if (node.kind === 'scalar' && typeof node.value === 'string') return node.value;
  if (node.kind === 'scalar' && typeof node.value === 'boolean') return String(node.value);
  sink.error(
    node.range,
    'wrong-type',
    `${path}: expected a condition such as "failure()" or "inputs.mode == 'full'", found ${describeNode(node)}.`,
  );
  return undefined;
}

/** Where a checked condition lives, and what it may name. */
interface ConditionSite {
  readonly stage: ReadStage;
  readonly node: SourceNode;
  readonly path: string;
  readonly scope: ReferenceScope;
  readonly sink: DiagnosticSink;
}

/**
 * Maps an offset in the condition's value to a file range: exact when the
 * value is written plain (as YAML or inside JSON quotes without escapes),
 * else the whole value.
 */
function locate(site: ConditionSite, value: string, offset: number, length: number): SourceRange {
  const { start, end } = site.node.range;
  const written = site.scope.text.slice(start, end);
  const shift = written === value ? 0 : written.slice(1, -1) === value ? 1 : -1;
  if (shift < 0) return site.node.range;
  return { start: start + shift + offset, end: start + shift + offset + length };
}

/** Checks every stage's `if:`: its syntax, the names it reads and the functions it calls. */
export function checkStageConditions(
  stages: readonly ReadStage[],
  scope: ReferenceScope,
  sink: DiagnosticSink,
): void {
  for (const stage of stages) {
    const condition = stage.spec.if;
    const node = stage.fields.get('if')?.value;
    if (condition === undefined || node === undefined) continue;
    const site = { stage, node, path: `stages.${stage.spec.id}.if`, scope, sink };
    const parsed = parseCondition(condition);
    if (!parsed.ok) {
      const { offset, length, message } = parsed.error;
      sink.error(
        locate(site, condition, offset, length),
        'bad-condition',
        `${site.path}: ${message}.`,
      );
      continue;
    }
    walk(parsed.node, (part) => checkPart(site, condition, part));
    if (callsStatusFunction(parsed.node) && stage.spec.needs.length === 0) {
      sink.warning(
        node.range,
        'status-without-needs',
        `${site.path}: ${STATUS_FUNCTIONS.join('(), ')}() are about the stages a stage needs, and this stage needs none; add "needs".`,
      );
    }
  }
}

function walk(node: ConditionNode, visit: (node: ConditionNode) => void): void {
  visit(node);
  if (node.kind === 'not') walk(node.operand, visit);
  if (node.kind === 'binary') {
    walk(node.left, visit);
    walk(node.right, visit);
  }
  if (node.kind === 'call') for (const arg of node.args) walk(arg, visit);
}

function checkPart(site: ConditionSite, value: string, part: ConditionNode): void {
  const at = locate(site, value, part.offset, part.length);
  if (part.kind === 'call') checkCall(site, part, at);
  if (part.kind === 'name') checkName(site, part.path, at);
}

function checkCall(
  site: ConditionSite,
  call: Extract<ConditionNode, { kind: 'call' }>,
  at: SourceRange,
): void {
  const arity = CONDITION_FUNCTIONS[call.name];
  const known = Object.keys(CONDITION_FUNCTIONS);
  if (arity === undefined) {
    site.sink.error(
      at,
      'unknown-function',
      `${site.path}: there is no function ${call.name}().${didYouMean(call.name, known)}`,
      fixOf(call.name, closestMatch(call.name, known)),
    );
  } else if (call.args.length !== arity) {
    site.sink.error(
      at,
      'wrong-arguments',
      `${site.path}: ${call.name}() takes ${arity} argument${arity === 1 ? '' : 's'}, not ${call.args.length}.`,
    );
  }
}

function checkName(site: ConditionSite, path: readonly string[], at: SourceRange): void {
  const { scope, sink } = site;
  const [root, first, second, third] = path;
  if (root === 'inputs' && path.length === 2 && first !== undefined) {
    if (scope.inputIds.has(first)) return;
    const message = `${site.path}: there is no input "${first}".${didYouMean(first, scope.inputIds)}`;
    sink.error(at, 'unknown-input', message, fixOf(first, closestMatch(first, scope.inputIds)));
    return;
  }
  if (root === 'stages' && path.length === 4 && second === 'outputs' && first !== undefined) {
    checkStageName(site, first, third ?? '', at);
    return;
  }
  if (path.length === 1 && root === 'item') {
    checkFanOutName(site.path, { kind: 'item' }, at, site.stage.spec, sink);
    return;
  }
  if (root === 'matrix' && path.length === 2 && first !== undefined) {
    checkFanOutName(site.path, { kind: 'matrix', key: first }, at, site.stage.spec, sink);
    return;
  }
  const written = path.join('.');
  sink.error(
    at,
    'unknown-name',
    `${site.path}: unknown name "${written}"; a condition reads inputs.<id>, stages.<stage>.outputs.<name>, matrix.<key> or item, and calls functions such as failure().`,
  );
}

function checkStageName(
  site: ConditionSite,
  source: string,
  output: string,
  at: SourceRange,
): void {
  const { scope, sink, stage } = site;
  const reader = stage.spec.id;
  if (!scope.stageIds.has(source)) {
    const message = `${site.path}: there is no stage "${source}".${didYouMean(source, scope.stageIds)}`;
    sink.error(at, 'unknown-stage', message, fixOf(source, closestMatch(source, scope.stageIds)));
  } else if (source === reader) {
    sink.error(
      at,
      'self-reference',
      `${site.path}: a stage's condition cannot read its own outputs; they exist only after it runs.`,
    );
  } else if (!ancestorsOf(scope.graph, reader).has(source)) {
    sink.error(
      at,
      'not-a-dependency',
      `${site.path}: reads stages.${source}.outputs.${output}, but "${source}" is not among its needs (directly or through other stages), so it may not have run yet. Add "${source}" to needs.`,
    );
  }
}
