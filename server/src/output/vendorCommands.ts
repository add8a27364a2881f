/**
 * Commands of other CI systems that programs already print, so they work in
 * Baton unchanged:
 * - Azure Pipelines: `##vso[task.setprogress value=75;]Current operation`,
 *   `##vso[task.logissue type=warning;sourcepath=a.py;linenumber=3;]message`,
 *   `##[group]title`, `##[endgroup]`, `##[warning]…`, `##[error]…`, `##[debug]…`;
 * - TeamCity: `##teamcity[progressMessage 'text']` and `progressStart`.
 * Other commands of these systems are ordinary output.
 */
import type { StageCommand } from './stageCommand';

const AZURE_ESCAPES: Readonly<Record<string, string>> = {
  '%AZP25': '%',
  '%3B': ';',
  '%5D': ']',
  '%0D': '\r',
  '%0A': '\n',
};

/** Undoes Azure's escaping of logging-command values and messages. */
export function unescapeAzure(text: string): string {
  return text.includes('%')
    ? text.replace(/%(?:AZP25|3B|5D|0D|0A)/g, (m) => AZURE_ESCAPES[m] ?? m)
    : text;
}

/** Parses an Azure logging command or formatting line, or returns undefined. */
export function parseAzureCommand(line: string): StageCommand | undefined {
  if (line.startsWith('##vso[')) return parseAzureLoggingCommand(line);
  const format = /^##\[(group|endgroup|warning|error|debug)\](.*)$/i.exec(line);
  if (!format) return undefined;
  const name = (format[1] ?? '').toLowerCase();
  const message = format[2] ?? '';
  if (name === 'group') return { kind: 'group', title: message };
  if (name === 'endgroup') return { kind: 'endGroup' };
  if (name === 'debug') return { kind: 'debug', message };
  return {
    kind: 'annotation',
    annotation: { level: name === 'error' ? 'error' : 'warning', message },
  };
}

function parseAzureLoggingCommand(line: string): StageCommand | undefined {
  const close = line.indexOf(']');
  if (close < 0) return undefined;
  const head = line.slice('##vso['.length, close);
  const space = head.indexOf(' ');
  const name = (space < 0 ? head : head.slice(0, space)).toLowerCase();
  const properties = parseAzureProperties(space < 0 ? '' : head.slice(space + 1));
  const message = unescapeAzure(line.slice(close + 1));
  if (name === 'task.setprogress') {
    const value = Number(properties['value']);
    if (properties['value'] === undefined || !Number.isFinite(value) || value < 0 || value > 100) {
      return { kind: 'invalid', command: name, reason: 'value must be a percentage from 0 to 100' };
    }
    return {
      kind: 'progress',
      progress: message === '' ? { percent: value } : { percent: value, message },
    };
  }
  if (name === 'task.logissue') return toLogIssue(properties, message);
  return undefined;
}

function parseAzureProperties(text: string): Record<string, string> {
  const properties: Record<string, string> = {};
  for (const pair of text.split(';')) {
    const equals = pair.indexOf('=');
    if (equals <= 0) continue;
    properties[pair.slice(0, equals).trim().toLowerCase()] = unescapeAzure(pair.slice(equals + 1));
  }
  return properties;
}

function toLogIssue(properties: Readonly<Record<string, string>>, message: string): StageCommand {
  const type = properties['type']?.toLowerCase();
  if (type !== 'warning' && type !== 'error') {
    return { kind: 'invalid', command: 'task.logissue', reason: 'type must be warning or error' };
  }
  const file = properties['sourcepath'];
  const line = positiveInteger(properties['linenumber']);
  const col = positiveInteger(properties['columnnumber']);
  return {
    kind: 'annotation',
    annotation: {
      level: type,
      message,
      ...(file ? { file } : {}),
      ...(line ? { line } : {}),
      ...(col ? { col } : {}),
    },
  };
}

function positiveInteger(text: string | undefined): number | undefined {
  const value = text === undefined || text.trim() === '' ? NaN : Number(text);
  return Number.isInteger(value) && value >= 1 ? value : undefined;
}

const TEAMCITY_ESCAPES: Readonly<Record<string, string>> = {
  "|'": "'",
  '||': '|',
  '|n': '\n',
  '|r': '\r',
  '|[': '[',
  '|]': ']',
};

/** Undoes TeamCity's `|` escaping, including `|0xNNNN` code points. */
export function unescapeTeamCity(text: string): string {
  return text.replace(/\|(0x[0-9a-fA-F]{4}|.)/g, (match, code: string) =>
    code.startsWith('0x')
      ? String.fromCharCode(parseInt(code.slice(2), 16))
      : (TEAMCITY_ESCAPES[match] ?? match),
  );
}

/** Parses `##teamcity[progressMessage 'text']` (and `progressStart`), or returns undefined. */
export function parseTeamCityCommand(line: string): StageCommand | undefined {
  const match = /^##teamcity\[(progressMessage|progressStart) '((?:[^'|]|\|.)*)'\s*\]\s*$/.exec(
    line,
  );
  if (!match) return undefined;
  const message = unescapeTeamCity(match[2] ?? '');
  return { kind: 'progress', progress: { message } };
}
