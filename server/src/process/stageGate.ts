/**
 * The gate of a gated stage (see `SpawnStageOptions.gated`): a few words of
 * shell put in front of the stage's command, in the same `-c` script, so the
 * shell exists (and has a pid the engine can record) but runs nothing of the
 * command until the engine writes a line to its stdin.
 *
 * The gate sits on the command's first line and runs in the same shell, so
 * nothing is exec'd twice and the command sees what `sh -c <command>` would
 * show it: the same `$0`, no positional parameters, the same line numbers in
 * `$LINENO` and in error messages, the same descriptors, its stdin from the
 * first byte after the go line, and an unchanged environment. The only trace
 * is the shell's own command line in `ps`, which `withoutGate` removes where
 * Baton shows it.
 *
 * The go comes on stdin rather than on a descriptor of its own: a shell's
 * `read` takes one byte at a time from a pipe or socket (POSIX: it must not
 * consume what follows the line), so the command reads exactly what the
 * engine writes after the go; and each stage then needs one socket pair less
 * (three, not four), which is a share of every stage's start.
 */

/** The variable the gate reads the engine's go into; it is unset before the command runs. */
export const GATE_VARIABLE = 'BATON_GATE';

/** Exit code of a gated stage whose gate closed without a go (the engine died or gave up). */
export const GATE_CLOSED_EXIT_CODE = 125;

/**
 * Waits for a line on stdin and forgets it; end of file without a line (the
 * engine died or gave up) ends the shell before the command ran. It ends with
 * `; ` so the command continues the same line: a command line that does not
 * parse fails as it would alone (a syntax error in it is found before the
 * gate waits, which runs nothing either).
 */
export const GATE_PREFIX = `read -r ${GATE_VARIABLE} || exit ${GATE_CLOSED_EXIT_CODE}; unset ${GATE_VARIABLE}; `;

/** The line that opens a gate, written to the stage's stdin before anything else. */
export const GATE_GO = 'go\n';

/** The `-c` script of a gated stage running `command`. */
export function gatedScript(command: string): string {
  return `${GATE_PREFIX}${command}`;
}

/** A process's command line (arguments joined by spaces) without the gate, as the user wrote the command. */
export function withoutGate(commandLine: string): string {
  const at = commandLine.indexOf(` -c ${GATE_PREFIX}`);
  if (at < 0) return commandLine;
  return `${commandLine.slice(0, at)} -c ${commandLine.slice(at + 4 + GATE_PREFIX.length)}`;
}
