import type { Diagnostic, RunStatus, StageStatus } from '@baton/core';
import type { Colors } from './terminal';

/** A duration as people read it: `850ms`, `12.3s`, `4m 05s`, `2h 03m`. */
export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) {
    return '-';
  }
  if (ms < 1000) {
    return `${Math.round(ms)}ms`;
  }
  if (ms < 60_000) {
    return `${(ms / 1000).toFixed(1)}s`;
  }
  const totalSeconds = Math.floor(ms / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;
  return hours > 0
    ? `${hours}h ${String(minutes).padStart(2, '0')}m`
    : `${minutes}m ${String(seconds).padStart(2, '0')}s`;
}

/** A local `HH:MM:SS` time stamp for plain output lines. */
export function formatClock(epochMs: number): string {
  const date = new Date(epochMs);
  return [date.getHours(), date.getMinutes(), date.getSeconds()]
    .map((part) => String(part).padStart(2, '0'))
    .join(':');
}

/** A progress bar `width` cells wide for `percent` (0..100), drawn with block characters. */
export function progressBar(percent: number, width: number): string {
  const clamped = Math.min(100, Math.max(0, percent));
  const eighths = Math.round((clamped / 100) * width * 8);
  const full = Math.floor(eighths / 8);
  const partial = eighths % 8;
  const partials = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
  const bar = '█'.repeat(full) + (partials[partial] ?? '');
  return bar + ' '.repeat(Math.max(0, width - [...bar].length));
}

/** An icon for a stage status, coloured. */
export function stageIcon(status: StageStatus, colors: Colors, frame = 0): string {
  const spinner = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
  switch (status) {
    case 'pending':
      return colors.dim('○');
    case 'ready':
      return colors.dim('◌');
    case 'waitingForPool':
      return colors.yellow('⧗');
    case 'running':
      return colors.cyan(spinner[frame % spinner.length] ?? '•');
    case 'waiting':
      return colors.yellow('?');
    case 'retrying':
      return colors.yellow('↻');
    case 'succeeded':
      return colors.green('✔');
    case 'failed':
      return colors.red('✖');
    case 'skipped':
      return colors.dim('⊘');
    case 'cancelled':
      return colors.dim('■');
    default: {
      const never: never = status;
      return String(never);
    }
  }
}

/** A run status in colour, padded to `width` columns first so tables stay aligned. */
export function colorRunStatus(status: RunStatus, colors: Colors, width = 0): string {
  const text = status.padEnd(width);
  switch (status) {
    case 'succeeded':
      return colors.green(text);
    case 'failed':
      return colors.red(text);
    case 'interrupted':
    case 'waiting':
    case 'cancelled':
      return colors.yellow(text);
    case 'queued':
    case 'running':
      return colors.cyan(text);
    default: {
      const never: never = status;
      return String(never);
    }
  }
}

/** One diagnostic the way compilers print them: `file:line:col: error: message [code]`. */
export function formatDiagnostic(diagnostic: Diagnostic, colors: Colors): string {
  const where = `${diagnostic.file}:${diagnostic.line}:${diagnostic.column}`;
  const severity = diagnostic.severity === 'error' ? colors.red('error') : colors.yellow('warning');
  return `${colors.bold(where)}: ${severity}: ${diagnostic.message} ${colors.dim(`[${diagnostic.code}]`)}`;
}

/** Cuts `text` to `width` visible characters, ending with `…` when cut. */
export function truncate(text: string, width: number): string {
  const chars = [...text];
  if (chars.length <= width) {
    return text;
  }
  return width <= 1 ? chars.slice(0, width).join('') : `${chars.slice(0, width - 1).join('')}…`;
}
