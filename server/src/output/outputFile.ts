/**
 * Reads the file a stage names by `$BATON_OUTPUT` to set its outputs, in the
 * format of GitHub's `$GITHUB_OUTPUT`:
 *
 *     name=value
 *     notes<<EOF
 *     first line
 *     second line
 *     EOF
 *
 * Outputs come only from this file, never from printed text (see
 * stageCommand.ts). Mistakes are reported with their line number; the lines
 * that are correct still count.
 */
import { open } from 'node:fs/promises';

/** The outputs a file set, and what was wrong with it. */
export interface OutputFileResult {
  readonly outputs: Record<string, string>;
  /** One sentence per problem, starting with `line N:`. */
  readonly errors: string[];
}

/** Output names must be usable in `${{ stages.<stage>.outputs.<name> }}`. */
const NAME_PATTERN = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Default largest output file read, in bytes. */
export const DEFAULT_MAX_OUTPUT_FILE_BYTES = 1024 * 1024;

/** Parses the text of an output file. Never throws. */
export function parseOutputFile(text: string): OutputFileResult {
  const lines = text.split('\n').map((line) => (line.endsWith('\r') ? line.slice(0, -1) : line));
  // A final newline does not start another line.
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  const outputs = new Map<string, string>();
  const errors: string[] = [];
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index] ?? '';
    if (line.trim() === '') continue;
    const number = index + 1;
    const equals = line.indexOf('=');
    const heredoc = line.indexOf('<<');
    if (heredoc > 0 && (equals < 0 || heredoc < equals)) {
      const name = line.slice(0, heredoc);
      const delimiter = line.slice(heredoc + 2);
      const end = lines.indexOf(delimiter, index + 1);
      if (!checkName(name, number, errors)) continue;
      if (delimiter === '') {
        errors.push(`line ${number}: "${name}<<" needs a delimiter after <<`);
      } else if (end < 0) {
        errors.push(
          `line ${number}: the value of "${name}" is never closed by a line "${delimiter}"`,
        );
        break;
      } else {
        outputs.set(name, lines.slice(index + 1, end).join('\n'));
        index = end;
      }
    } else if (equals > 0) {
      const name = line.slice(0, equals);
      if (checkName(name, number, errors)) outputs.set(name, line.slice(equals + 1));
    } else {
      errors.push(`line ${number}: expected name=value or name<<DELIMITER, got "${clip(line)}"`);
    }
  }
  return { outputs: Object.fromEntries(outputs), errors };
}

function checkName(name: string, line: number, errors: string[]): boolean {
  if (NAME_PATTERN.test(name)) return true;
  errors.push(
    `line ${line}: "${clip(name)}" is not a valid output name (letters, digits, '_' and '-', not starting with a digit)`,
  );
  return false;
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

/**
 * Reads and parses an output file. A missing file means no outputs; a file
 * larger than `maxBytes` is not read at all and reported as an error.
 */
export async function readOutputFile(
  path: string,
  maxBytes = DEFAULT_MAX_OUTPUT_FILE_BYTES,
): Promise<OutputFileResult> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { outputs: {}, errors: [] };
    return { outputs: {}, errors: [`cannot read the output file ${path}: ${String(error)}`] };
  }
  try {
    const { size } = await handle.stat();
    if (size > maxBytes) {
      return {
        outputs: {},
        errors: [`the output file ${path} holds ${size} bytes, more than the limit of ${maxBytes}`],
      };
    }
    return parseOutputFile(await handle.readFile('utf8'));
  } catch (error) {
    return { outputs: {}, errors: [`cannot read the output file ${path}: ${String(error)}`] };
  } finally {
    await handle.close();
  }
}
