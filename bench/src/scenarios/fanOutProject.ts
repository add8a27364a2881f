import { mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/** Items of the full-size fan-out scenarios, and of `--quick`. */
export const FULL_ITEMS = 10_000;
export const QUICK_ITEMS = 1_000;

/** A `foreach` over `items/*.txt`, each item a no-op program, two at a time. */
export function fanOutPipelineYaml(): string {
  return [
    'concurrency: 2',
    'stages:',
    '  each:',
    '    foreach: "items/*.txt"',
    '    run: "true"',
    '',
  ].join('\n');
}

/** Writes `count` small item files under `<dir>/items/`. */
export function writeItems(dir: string, count: number): void {
  mkdirSync(path.join(dir, 'items'), { recursive: true });
  for (let index = 0; index < count; index++) {
    writeFileSync(path.join(dir, 'items', `${index}.txt`), `${index}\n`);
  }
}
