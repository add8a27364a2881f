/**
 * Progress that programs show on a terminal rather than announce with a
 * command:
 * - the OSC 9;4 escape sequence (`ESC ] 9 ; 4 ; state ; percent` ended by BEL
 *   or `ESC \`), which terminals turn into a taskbar progress indicator: state
 *   0 clears, 1 normal, 2 error, 3 indeterminate, 4 paused;
 * - tqdm-style bars (`desc:  45%|████▌     | 45/100 [00:04<00:05, 10.0it/s]`);
 * - on carriage-return updates only, a bare counter such as `\rfile 3/10`.
 */
import type { Progress } from '@baton/core';

// eslint-disable-next-line no-control-regex -- an escape sequence is made of control characters
const OSC_PROGRESS = /\x1b\]9;4;([0-4])(?:;(\d{0,3}))?(?:\x07|\x1b\\)/g;

/** Text with the OSC 9;4 sequences removed, and the progress the last one reported. */
export interface OscScan {
  readonly text: string;
  /** Undefined when no sequence was found or the last one cleared the progress. */
  readonly progress?: Progress;
  /** Whether any sequence was found. */
  readonly found: boolean;
}

/** Strips OSC 9;4 progress sequences from `text`; the last one wins. */
export function extractOscProgress(text: string): OscScan {
  if (!text.includes('\x1b]9;4;')) return { text, found: false };
  let progress: Progress | undefined;
  let found = false;
  const stripped = text.replace(OSC_PROGRESS, (_sequence, state: string, percent?: string) => {
    const value =
      percent === undefined || percent === '' ? undefined : Math.min(100, Number(percent));
    found = true;
    // 0 clears; 3 is indeterminate (no figure); 1, 2 and 4 carry a percentage.
    progress =
      state === '0' ? undefined : state === '3' || value === undefined ? {} : { percent: value };
    return '';
  });
  return progress ? { text: stripped, progress, found } : { text: stripped, found };
}

const TQDM_BAR = /(\d{1,3}(?:\.\d+)?)%\|/;
const TQDM_COUNT = /\|\s*(\d+(?:\.\d+)?)([kMGTP]?)\/(\d+(?:\.\d+)?)([kMGTP]?)(?=\s|\[|$)/;
const BARE_COUNT = /(?:^|\s)(\d{1,12})\/(\d{1,12})(?=\s|$)/;
const SI: Readonly<Record<string, number>> = { '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15 };

/**
 * Reads a progress bar from one line of output: a tqdm bar anywhere, or a
 * bare `n/total` counter when `overwrite` (the line was ended by a lone `\r`).
 */
export function parseProgressBar(text: string, overwrite: boolean): Progress | undefined {
  const bar = TQDM_BAR.exec(text);
  if (bar) {
    const percent = Number(bar[1]);
    if (!(percent <= 100)) return undefined;
    const description = text.slice(0, bar.index).trim().replace(/:$/, '').trim();
    const count = TQDM_COUNT.exec(text.slice(bar.index));
    const progress: { -readonly [K in keyof Progress]: Progress[K] } = { percent };
    if (count) {
      progress.value = Number(count[1]) * (SI[count[2] ?? ''] ?? 1);
      progress.total = Number(count[3]) * (SI[count[4] ?? ''] ?? 1);
    }
    if (description !== '') progress.message = description;
    return progress;
  }
  if (!overwrite) return undefined;
  const count = BARE_COUNT.exec(text);
  if (!count) return undefined;
  const value = Number(count[1]);
  const total = Number(count[2]);
  if (total <= 0 || value > total) return undefined;
  const message = text.trim();
  return { percent: (value / total) * 100, value, total, message };
}
