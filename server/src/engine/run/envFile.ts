/**
 * A pipeline's dotenv file (`env_file:`, or `.env` beside the pipeline): the
 * variables people keep out of their shell and out of git. Its variables are
 * added under Baton's own environment (which wins, as dotenv loaders do), so
 * `secrets:` can name them and they are masked like any other secret.
 *
 * The format is the common one: `NAME=value` lines, an optional `export `,
 * `#` comments, values in single quotes (literal) or double quotes (with
 * `\n`, `\t`, `\"` and `\\` escapes; both may span lines, for keys). A line
 * that is none of these is an error naming the file and line, never skipped:
 * a secret silently missing would run a stage without it.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Pipeline } from '@baton/core';
import { EngineError } from '../engineErrors';

const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const DOUBLE_QUOTE_ESCAPES: Readonly<Record<string, string>> = {
  n: '\n',
  r: '\r',
  t: '\t',
  '"': '"',
  '\\': '\\',
  $: '$',
};

/** A line of a dotenv file that could not be read. */
export class EnvFileError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    reason: string,
  ) {
    super(`${file}:${line}: ${reason}`);
    this.name = 'EnvFileError';
  }
}

/** Parses dotenv text; throws an `EnvFileError` naming the first bad line. */
export function parseEnvFile(text: string, file: string): Record<string, string> {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const values: Record<string, string> = {};
  for (let index = 0; index < lines.length; index += 1) {
    const lineNumber = index + 1;
    const line = (lines[index] ?? '').trim();
    if (line === '' || line.startsWith('#')) continue;
    const assignment = line.replace(/^export\s+/, '');
    const equals = assignment.indexOf('=');
    if (equals < 0) throw new EnvFileError(file, lineNumber, 'expected NAME=value');
    const name = assignment.slice(0, equals).trim();
    if (!NAME.test(name))
      throw new EnvFileError(file, lineNumber, `"${name}" is not a variable name`);
    const rest = assignment.slice(equals + 1).trimStart();
    const quote = rest[0];
    if (quote !== '"' && quote !== "'") {
      values[name] = rest.replace(/\s+#.*$/, '').trim();
      continue;
    }
    const read = readQuoted(lines, index, line.length - rest.length + 1, quote, file);
    values[name] = read.value;
    index = read.lastLine;
  }
  return values;
}

/** A quoted value from `lines[start]` at column `from`, possibly over several lines. */
function readQuoted(
  lines: readonly string[],
  start: number,
  from: number,
  quote: '"' | "'",
  file: string,
): { value: string; lastLine: number } {
  let value = '';
  for (let index = start; index < lines.length; index += 1) {
    const text = index === start ? (lines[index] ?? '').trim().slice(from) : (lines[index] ?? '');
    for (let at = 0; at < text.length; at += 1) {
      const char = text[at] ?? '';
      if (quote === '"' && char === '\\' && at + 1 < text.length) {
        const next = text[at + 1] ?? '';
        value += DOUBLE_QUOTE_ESCAPES[next] ?? `\\${next}`;
        at += 1;
      } else if (char === quote) {
        const after = text.slice(at + 1).trim();
        if (after !== '' && !after.startsWith('#'))
          throw new EnvFileError(file, index + 1, `unexpected text after the closing ${quote}`);
        return { value, lastLine: index };
      } else {
        value += char;
      }
    }
    value += '\n';
  }
  throw new EnvFileError(file, start + 1, `the ${quote} that opens this value is never closed`);
}

/**
 * The variables of a pipeline's dotenv file: the one `env_file:` names (it
 * must exist), else `.env` beside the pipeline if there is one, else none.
 * Throws `invalidPipeline` with the file and line of a bad line.
 */
export async function readPipelineEnvFile(pipeline: Pipeline): Promise<Record<string, string>> {
  const dir = path.dirname(path.resolve(pipeline.file));
  const file = path.resolve(dir, pipeline.envFile ?? '.env');
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (pipeline.envFile === undefined && code === 'ENOENT') return {};
    throw new EngineError('invalidPipeline', `env_file: cannot read ${file} (${code ?? error})`);
  }
  try {
    return parseEnvFile(text, file);
  } catch (error) {
    if (error instanceof EnvFileError) throw new EngineError('invalidPipeline', error.message);
    throw error;
  }
}
