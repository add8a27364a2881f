import type { ScenarioOutcome } from './results';

/** What every scenario gets from the runner. */
export interface BenchContext {
  /** The smaller run of `--quick`: fewer repetitions, smaller inputs. */
  readonly quick: boolean;
  /** A fresh directory of this scenario's own, removed after the run. */
  readonly workDir: string;
  /** Absolute paths of the peers found on this machine, by name (`make`, `snakemake`). */
  readonly peers: ReadonlyMap<string, string>;
  /** Prints a progress line on stderr (the table goes to stdout). */
  log(message: string): void;
}

/** One benchmark scenario. */
export interface Scenario {
  /** The key `--only` selects it by; its rows may carry further keys. */
  readonly key: string;
  /** One line saying what it measures. */
  readonly title: string;
  run(context: BenchContext): Promise<ScenarioOutcome>;
}

/** How many repetitions a scenario makes: fewer in `--quick`. */
export function repetitions(context: BenchContext, full: number, quick: number): number {
  return context.quick ? quick : full;
}
