import { parseArgs } from 'node:util';

/** What the command line asked for. */
export interface BenchOptions {
  readonly quick: boolean;
  /** Write the machine-readable results here. */
  readonly json?: string;
  /** Write the latency chart (SVG) here. */
  readonly svg?: string;
  /** Write the results table as Markdown here. */
  readonly markdown?: string;
  /** Run only these scenario keys; empty: all. */
  readonly only: readonly string[];
  /** Run scripts/install-bench-peers.sh when a peer is missing. */
  readonly installPeers: boolean;
  readonly help: boolean;
}

/** The `--help` text. */
export const USAGE = `Usage: npm run bench -- [options]

Runs Baton's benchmarks against GNU make and Snakemake and prints a table.

Options:
  --quick             a smaller run (fewer repetitions, 200 MB of log) in under two minutes
  --only <keys>       run only these scenarios, comma-separated (e.g. plan_10k_ms,resume_ms)
  --json <file>       write the results as JSON
  --svg <file>        write a chart of the latency distributions as SVG
  --markdown <file>   write the results table as Markdown
  --no-install        do not try to install missing peers
  -h, --help          show this help
`;

/** Parses the command line; throws a plain-words Error on anything it does not know. */
export function parseOptions(argv: readonly string[]): BenchOptions {
  const { values } = parseArgs({
    args: [...argv],
    strict: true,
    allowPositionals: false,
    options: {
      quick: { type: 'boolean', default: false },
      json: { type: 'string' },
      svg: { type: 'string' },
      markdown: { type: 'string' },
      only: { type: 'string' },
      'no-install': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  const only = (values.only ?? '')
    .split(',')
    .map((key) => key.trim())
    .filter((key) => key.length > 0);
  return {
    quick: values.quick === true,
    ...(values.json === undefined ? {} : { json: values.json }),
    ...(values.svg === undefined ? {} : { svg: values.svg }),
    ...(values.markdown === undefined ? {} : { markdown: values.markdown }),
    only,
    installPeers: values['no-install'] !== true,
    help: values.help === true,
  };
}
