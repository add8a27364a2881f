import pc from 'picocolors';

/** The colour functions picocolors makes (all identity functions when colours are off). */
export type Colors = ReturnType<typeof pc.createColors>;

/**
 * The CLI's only way to the terminal: every line the `baton` command prints
 * goes through a `Terminal`, so tests can capture it and nothing else in the
 * server writes to stdout by accident.
 */
export interface Terminal {
  /** Whether stdout is an interactive terminal (live view, inline prompts). */
  readonly isTTY: boolean;
  /** Terminal width in columns (80 when unknown). */
  readonly columns: number;
  /** Terminal height in rows (24 when unknown). */
  readonly rows: number;
  /** Colours, disabled when stdout is not a terminal or NO_COLOR is set. */
  readonly colors: Colors;
  /** Writes text to stdout as is. */
  write(text: string): void;
  /** Writes a line to stdout. */
  line(text?: string): void;
  /** Writes a line to stderr. */
  error(text: string): void;
}

/** The terminal of this process: process.stdout and process.stderr. */
export function processTerminal(): Terminal {
  const stdout = process.stdout;
  const isTTY = stdout.isTTY === true;
  // When the reader goes away (`baton run … | head`), output stops but the run goes on:
  // dying on EPIPE would leave the run's stages without their engine.
  let broken = false;
  stdout.on('error', () => (broken = true));
  process.stderr.on('error', () => undefined);
  const colorsOn = isTTY && !('NO_COLOR' in process.env) && process.env.TERM !== 'dumb';
  return {
    isTTY,
    get columns() {
      return stdout.columns > 0 ? stdout.columns : 80;
    },
    get rows() {
      return stdout.rows > 0 ? stdout.rows : 24;
    },
    colors: pc.createColors(colorsOn),
    write: (text) => {
      if (!broken) stdout.write(text);
    },
    line: (text = '') => {
      if (!broken) stdout.write(`${text}\n`);
    },
    error: (text) => {
      process.stderr.write(`${text}\n`);
    },
  };
}
