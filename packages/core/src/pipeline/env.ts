import type { DiagnosticSink } from './diagnosticSink';
import { ENV_NAME_PATTERN } from './ids';
import { readEntries, readText, readTextList } from './readers';
import type { SourceNode } from './sourceNode';

const ENV_NAME_REGEX = new RegExp(ENV_NAME_PATTERN);

/** Prefix of the variables Baton sets itself (inputs, stage outputs, the stage protocol). */
export const RESERVED_ENV_PREFIX = 'BATON_';

/** Reports a bad environment variable name; returns whether the name is usable. */
function checkEnvName(
  name: string,
  at: SourceNode['range'],
  sink: DiagnosticSink,
  path: string,
): boolean {
  if (!ENV_NAME_REGEX.test(name)) {
    sink.error(
      at,
      'bad-env-name',
      `${path}: "${name}" is not a valid environment variable name (letters, digits and "_", not starting with a digit).`,
    );
    return false;
  }
  if (name.toUpperCase().startsWith(RESERVED_ENV_PREFIX)) {
    sink.error(
      at,
      'reserved-env-name',
      `${path}: names starting with ${RESERVED_ENV_PREFIX} are reserved for the variables Baton sets itself.`,
    );
    return false;
  }
  return true;
}

/** An `env:` mapping of variable names to text values. */
export function readEnv(
  node: SourceNode,
  sink: DiagnosticSink,
  path: string,
): Record<string, string> {
  const env: Record<string, string> = {};
  const entries = readEntries(node, sink, path);
  if (entries === undefined) return env;
  for (const [name, entry] of entries) {
    const usable = checkEnvName(name, entry.keyRange, sink, path);
    const value = readText(entry.value, sink, `${path}.${name}`);
    if (usable && value !== undefined) env[name] = value;
  }
  return env;
}

/** The top-level `secrets:` list of environment variable names whose values are masked. */
export function readSecretNames(node: SourceNode, sink: DiagnosticSink): string[] {
  const names = readTextList(node, sink, 'secrets') ?? [];
  const unique: string[] = [];
  names.forEach((name, index) => {
    const at = node.kind === 'seq' ? (node.items[index]?.range ?? node.range) : node.range;
    if (unique.includes(name)) {
      sink.warning(at, 'duplicate-secret', `secrets: "${name}" is listed twice.`);
    } else if (checkEnvName(name, at, sink, 'secrets')) {
      unique.push(name);
    }
  });
  return unique;
}
