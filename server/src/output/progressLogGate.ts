/**
 * Decides which progress updates become a line in the stage's log. Every
 * update still moves the bar in the editor; the log gets a line only when the
 * message changes, the value moves by at least a tenth of the way (10 points,
 * or a tenth of `total`), or the work is done, so a program reporting each
 * of 10,000 items leaves about ten lines, not ten thousand.
 */
import type { Progress } from '@baton/core';

/** How far the progress must move before the next line: a tenth of the way. */
const STEP = 0.1;

/** The progress log gate of one stage attempt; see the module comment. */
export class ProgressLogGate {
  private last: { readonly fraction?: number; readonly message?: string } | undefined;

  /** Whether `progress` deserves a log line; remembers it when it does. */
  admit(progress: Progress): boolean {
    const fraction = fractionOf(progress);
    const last = this.last;
    const worthIt =
      last === undefined ||
      progress.message !== last.message ||
      (fraction !== undefined &&
        (last.fraction === undefined ||
          Math.abs(fraction - last.fraction) >= STEP - 1e-9 ||
          (fraction >= 1 && last.fraction < 1)));
    if (worthIt)
      this.last = { ...defined('fraction', fraction), ...defined('message', progress.message) };
    return worthIt;
  }
}

function fractionOf(progress: Progress): number | undefined {
  if (progress.percent !== undefined) return progress.percent / 100;
  if (progress.value !== undefined && progress.total !== undefined && progress.total > 0)
    return progress.value / progress.total;
  return undefined;
}

function defined<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
