import type { ConditionLiteral, ConditionNode } from './conditionSyntax';

/**
 * Evaluating a parsed `if:` condition. Values are GitHub-like: strings,
 * numbers, booleans, null and lists (a `multi` input, a fanned-out stage's
 * outputs). Comparisons of mixed types compare as numbers, so an output
 * `"3"` equals `3`; strings compare case-sensitively.
 */

/** A value a condition reads or computes. */
export type ConditionValue = ConditionLiteral | readonly ConditionValue[];

/** The status functions, about the stages the conditioned stage needs. */
export const STATUS_FUNCTIONS = ['success', 'failure', 'always', 'cancelled'] as const;

/** One status function's name. */
export type StatusFunction = (typeof STATUS_FUNCTIONS)[number];

/** Every function a condition may call, with how many arguments it takes. */
export const CONDITION_FUNCTIONS: Readonly<Record<string, number>> = {
  success: 0,
  failure: 0,
  always: 0,
  cancelled: 0,
  contains: 2,
  startsWith: 2,
};

/** What a condition reads: names (`inputs.x`, …) and the status of the stages it needs. */
export interface ConditionScope {
  /** The value of a name, or undefined when it has none (read as null). */
  lookup(path: readonly string[]): ConditionValue | undefined;
  /** The value of a status function. */
  status(name: StatusFunction): boolean;
}

function isStatusFunction(name: string): name is StatusFunction {
  return (STATUS_FUNCTIONS as readonly string[]).includes(name);
}

/** Whether a condition calls a status function anywhere (else `success()` is implied). */
export function callsStatusFunction(node: ConditionNode): boolean {
  switch (node.kind) {
    case 'literal':
    case 'name':
      return false;
    case 'not':
      return callsStatusFunction(node.operand);
    case 'binary':
      return callsStatusFunction(node.left) || callsStatusFunction(node.right);
    case 'call':
      return isStatusFunction(node.name) || node.args.some(callsStatusFunction);
    default: {
      const never: never = node;
      return never;
    }
  }
}

/** Truthiness: false, 0, NaN, '' and null are false; everything else (lists too) is true. */
export function isTruthy(value: ConditionValue): boolean {
  if (value === null || value === false || value === '') return false;
  if (typeof value === 'number') return value !== 0 && !Number.isNaN(value);
  return true;
}

function toNumber(value: ConditionValue): number {
  if (value === null) return 0;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return value.trim() === '' ? 0 : Number(value);
  return Number.NaN;
}

function toText(value: ConditionValue): string {
  if (value === null) return '';
  if (Array.isArray(value)) return JSON.stringify(value);
  return String(value);
}

function looselyEqual(left: ConditionValue, right: ConditionValue): boolean {
  if (typeof left === typeof right && !Array.isArray(left) && !Array.isArray(right)) {
    return left === right;
  }
  if (Array.isArray(left) || Array.isArray(right)) return toText(left) === toText(right);
  return toNumber(left) === toNumber(right);
}

function compare(
  operator: '<' | '>' | '<=' | '>=',
  left: ConditionValue,
  right: ConditionValue,
): boolean {
  const bothText = typeof left === 'string' && typeof right === 'string';
  const [a, b] = bothText ? [left, right] : [toNumber(left), toNumber(right)];
  if (typeof a === 'number' && (Number.isNaN(a) || Number.isNaN(b))) return false;
  switch (operator) {
    case '<':
      return a < b;
    case '>':
      return a > b;
    case '<=':
      return a <= b;
    default:
      return a >= b;
  }
}

function call(
  name: string,
  args: readonly ConditionValue[],
  scope: ConditionScope,
): ConditionValue {
  if (isStatusFunction(name)) return scope.status(name);
  const [first = null, second = null] = args;
  if (name === 'contains') {
    if (Array.isArray(first)) return first.some((item) => looselyEqual(item, second));
    return toText(first).includes(toText(second));
  }
  if (name === 'startsWith') return toText(first).startsWith(toText(second));
  // Validation rejects unknown functions, so this is reached only by a caller that skipped it.
  throw new Error(`unknown function ${name}()`);
}

/** Evaluates a condition node; `&&`/`||` short-circuit and yield an operand, as in GitHub. */
export function evaluateCondition(node: ConditionNode, scope: ConditionScope): ConditionValue {
  switch (node.kind) {
    case 'literal':
      return node.value;
    case 'name':
      return scope.lookup(node.path) ?? null;
    case 'not':
      return !isTruthy(evaluateCondition(node.operand, scope));
    case 'call':
      return call(
        node.name,
        node.args.map((arg) => evaluateCondition(arg, scope)),
        scope,
      );
    case 'binary': {
      const left = evaluateCondition(node.left, scope);
      if (node.operator === '&&')
        return isTruthy(left) ? evaluateCondition(node.right, scope) : left;
      if (node.operator === '||')
        return isTruthy(left) ? left : evaluateCondition(node.right, scope);
      const right = evaluateCondition(node.right, scope);
      if (node.operator === '==') return looselyEqual(left, right);
      if (node.operator === '!=') return !looselyEqual(left, right);
      return compare(node.operator, left, right);
    }
    default: {
      const never: never = node;
      return never;
    }
  }
}
