/**
 * Tells whether a shell blocked reading a stage's stdin may be reading a
 * password: its script has a `read` with the `-s` flag. When stdin is no
 * terminal (a stage's never is), bash drops `-s` and `-p` and reads the line
 * without printing anything, so nothing Baton sees tells `read -s` from a
 * plain `read`. The script does: it is the `-c` text of the shell's command
 * line, or the file the shell was started with (`bash ask.sh`). A script with
 * both kinds makes every unprinted question of it a secret one: masking a
 * plain answer costs less than logging a password.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/** Shells whose `read` builtin has `-s` (dash has none, but a script may say `#!/bin/bash`). */
const SHELLS = new Set(['bash', 'sh', 'zsh', 'ksh', 'mksh', 'dash']);
/** Scripts larger than this are not read (a shell script rarely is; the check must stay cheap). */
const MAX_SCRIPT_BYTES = 1024 * 1024;
/**
 * A `read` command (at a line start or after `;`, `&`, `|`, `(`, `{`, `` ` ``
 * or a keyword's space) with an option cluster holding `s`, before the
 * command ends: `read -s`, `read -rs`, `read -sp 'Password: '`, `read -p 'Key: ' -s key`.
 */
const SILENT_READ =
  /(?:^|[\s;&|({`])read(?:[ \t]+[^\s;&|#]+)*?[ \t]+-[A-Za-z]*s[A-Za-z]*(?=[\s;&|]|$)/m;

/** Whether `script` has a `read -s` (in any spelling of its options). */
export function hasSilentRead(script: string): boolean {
  return SILENT_READ.test(script);
}

/**
 * Whether process `pid` is a shell whose script has a `read -s`. False when
 * it is no shell, is gone, or its script cannot be read.
 */
export function shellReadsSilently(pid: number): boolean {
  const argv = commandArguments(pid);
  const program = argv[0];
  if (program === undefined || !SHELLS.has(path.basename(program).replace(/^-/, ''))) return false;
  const script = scriptOf(pid, argv.slice(1));
  return script !== undefined && hasSilentRead(script);
}

/** The script a shell runs: its `-c` text, or the first argument that is not an option, read as a file. */
function scriptOf(pid: number, args: readonly string[]): string | undefined {
  for (let index = 0; index < args.length; index += 1) {
    const arg = args[index] ?? '';
    if (/^-[A-Za-z]*c[A-Za-z]*$/.test(arg)) return args[index + 1];
    if (arg === '-o' || arg === '+o' || arg === '-O' || arg === '+O') {
      index += 1;
      continue;
    }
    if (arg.startsWith('-') || arg.startsWith('+')) continue;
    return readScript(path.resolve(`/proc/${pid}/cwd`, arg));
  }
  return undefined;
}

function readScript(file: string): string | undefined {
  try {
    const text = readFileSync(file);
    return text.length > MAX_SCRIPT_BYTES ? undefined : text.toString('utf8');
  } catch {
    return undefined;
  }
}

function commandArguments(pid: number): string[] {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').replace(/\0$/, '').split('\0');
  } catch {
    return [];
  }
}
