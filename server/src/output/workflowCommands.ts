/**
 * Parses GitHub-Actions-style workflow commands, one per line:
 * `::name k=v,k=v::message`. Names are case-insensitive. The message is
 * unescaped (`%25` → `%`, `%0D` → CR, `%0A` → LF) and property values also
 * `%3A` → `:` and `%2C` → `,`. Anything that does not parse is ordinary
 * output: parsing never throws.
 */
import { parseAzureCommand, parseTeamCityCommand } from './vendorCommands';
import { parsePromptCommand } from './promptCommand';
import type { Annotation, AnnotationLevel, StageCommand } from './stageCommand';

/** The syntax of one `::name props::message` line, before the name is interpreted. */
export interface WorkflowCommandSyntax {
  /** The name as written (tokens of `stop-commands` are compared exactly). */
  readonly name: string;
  readonly properties: Readonly<Record<string, string>>;
  readonly message: string;
}

const MESSAGE_ESCAPES: Readonly<Record<string, string>> = { '%25': '%', '%0D': '\r', '%0A': '\n' };
const PROPERTY_ESCAPES: Readonly<Record<string, string>> = {
  ...MESSAGE_ESCAPES,
  '%3A': ':',
  '%2C': ',',
};

/** Undoes the escaping of a command message (one pass, so `%2525` becomes `%25`). */
export function unescapeMessage(text: string): string {
  return text.includes('%') ? text.replace(/%(?:25|0D|0A)/g, (m) => MESSAGE_ESCAPES[m] ?? m) : text;
}

/** Undoes the escaping of a property value. */
export function unescapeProperty(text: string): string {
  return text.includes('%')
    ? text.replace(/%(?:25|0D|0A|3A|2C)/g, (m) => PROPERTY_ESCAPES[m] ?? m)
    : text;
}

/** Splits a `::name props::message` line, or returns undefined when it is not one. */
export function parseWorkflowCommandSyntax(line: string): WorkflowCommandSyntax | undefined {
  if (!line.startsWith('::')) return undefined;
  const end = line.indexOf('::', 2);
  if (end < 0) return undefined;
  const head = line.slice(2, end);
  const space = head.indexOf(' ');
  const name = space < 0 ? head : head.slice(0, space);
  if (name === '' || /\s/.test(name)) return undefined;
  const properties: Record<string, string> = {};
  if (space >= 0) {
    for (const pair of head.slice(space + 1).split(',')) {
      const equals = pair.indexOf('=');
      // Like GitHub, a pair without a key or an `=` is skipped rather than failing the command.
      if (equals <= 0) continue;
      const key = pair.slice(0, equals).trim();
      if (key !== '') properties[key] = unescapeProperty(pair.slice(equals + 1));
    }
  }
  return { name, properties, message: unescapeMessage(line.slice(end + 2)) };
}

/**
 * Parses one complete line of stdout into a command, or undefined when it is
 * ordinary output (including unknown command names).
 */
export function parseStageCommand(line: string): StageCommand | undefined {
  if (line.startsWith('::')) {
    const syntax = parseWorkflowCommandSyntax(line);
    return syntax && interpretWorkflowCommand(syntax);
  }
  if (line.startsWith('##')) return parseAzureCommand(line) ?? parseTeamCityCommand(line);
  return undefined;
}

/** Commands GitHub once read from stdout to change state; Baton takes state only from files. */
const STATE_COMMANDS: Readonly<Record<string, string>> = {
  'set-output':
    'write name=value lines to the file named by $GITHUB_OUTPUT (or $BATON_OUTPUT) instead',
  'save-state': 'write name=value lines to the file named by $GITHUB_STATE instead',
  'set-env': 'write name=value lines to the file named by $GITHUB_ENV instead',
  'add-path': 'write the directory to the file named by $GITHUB_PATH instead',
};

/** Gives meaning to a parsed `::name::` line; undefined for names Baton does not know. */
export function interpretWorkflowCommand(syntax: WorkflowCommandSyntax): StageCommand | undefined {
  const name = syntax.name.toLowerCase();
  const { properties, message } = syntax;
  switch (name) {
    case 'progress':
      return parseProgressCommand(properties, message);
    case 'prompt':
      return parsePromptCommand(properties, message);
    case 'group':
      return { kind: 'group', title: message };
    case 'endgroup':
      return { kind: 'endGroup' };
    case 'debug':
      return { kind: 'debug', message };
    case 'notice':
    case 'warning':
    case 'error':
      return { kind: 'annotation', annotation: toAnnotation(name, properties, message) };
    case 'add-mask':
      return { kind: 'addMask', value: message };
    case 'stop-commands':
      return message === ''
        ? { kind: 'invalid', command: name, reason: 'stop-commands needs a token as its message' }
        : { kind: 'stopCommands', token: message };
  }
  const advice = STATE_COMMANDS[name];
  if (advice) {
    return { kind: 'invalid', command: name, reason: `::${name}:: is not supported: ${advice}` };
  }
  return undefined;
}

function parseProgressCommand(
  properties: Readonly<Record<string, string>>,
  message: string,
): StageCommand {
  const value = parseNumber(properties['value'] ?? properties['percent']);
  const total = parseNumber(properties['total']);
  const invalid = (reason: string): StageCommand => ({
    kind: 'invalid',
    command: 'progress',
    reason,
  });
  if (value === undefined || value < 0) return invalid('value must be a number of at least 0');
  const withMessage = message === '' ? {} : { message };
  if (properties['total'] === undefined) {
    if (value > 100) return invalid('value without total is a percentage: at most 100');
    return { kind: 'progress', progress: { percent: value, ...withMessage } };
  }
  if (total === undefined || total <= 0) return invalid('total must be a number above 0');
  const percent = Math.min(100, (value / total) * 100);
  return { kind: 'progress', progress: { percent, value, total, ...withMessage } };
}

/** A finite decimal number, or undefined. Empty text is not zero. */
export function parseNumber(text: string | undefined): number | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

function parsePosition(text: string | undefined): number | undefined {
  const value = parseNumber(text);
  return value !== undefined && Number.isInteger(value) && value >= 1 ? value : undefined;
}

function toAnnotation(
  level: AnnotationLevel,
  properties: Readonly<Record<string, string>>,
  message: string,
): Annotation {
  const numbers = {
    line: parsePosition(properties['line']),
    col: parsePosition(properties['col']),
    endLine: parsePosition(properties['endLine']),
    endColumn: parsePosition(properties['endColumn']),
  };
  const annotation: { -readonly [K in keyof Annotation]: Annotation[K] } = { level, message };
  const file = properties['file'];
  const title = properties['title'];
  if (file !== undefined && file !== '') annotation.file = file;
  if (title !== undefined && title !== '') annotation.title = title;
  for (const [key, value] of Object.entries(numbers)) {
    if (value !== undefined) annotation[key as keyof typeof numbers] = value;
  }
  return annotation;
}
