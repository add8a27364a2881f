// `npm run test:mutation [-- <stryker options>]`: runs Stryker with the
// config of each package whose files are mutated. Without `--mutate` both
// the core and the server configs run; with `--mutate <file or glob>` only
// the config(s) whose package holds those files. Every other option
// (`--incremental`, `--concurrency 2`, …) is passed on to Stryker.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)));
const CONFIGS = [
  { prefix: 'packages/core/', file: 'mutation/stryker.core.config.mjs' },
  { prefix: 'server/', file: 'mutation/stryker.server.config.mjs' },
];

const args = process.argv.slice(2);
const at = args.findIndex((arg) => arg === '--mutate' || arg === '-m');
const mutate = at >= 0 ? (args[at + 1] ?? '') : undefined;
const chosen =
  mutate === undefined
    ? CONFIGS
    : CONFIGS.filter((config) => mutate.split(',').some((glob) => glob.startsWith(config.prefix)));
if (chosen.length === 0) {
  console.error(
    `--mutate ${mutate}: no mutation config covers it (${CONFIGS.map((c) => c.prefix).join(', ')})`,
  );
  process.exit(2);
}
let failed = false;
for (const config of chosen) {
  // Each config gets only the globs of its own package.
  const own = args.slice();
  if (mutate !== undefined) {
    own[at + 1] = mutate
      .split(',')
      .filter((glob) => glob.startsWith(config.prefix))
      .join(',');
  }
  const result = spawnSync('npx', ['stryker', 'run', config.file, ...own], {
    cwd: root,
    stdio: 'inherit',
  });
  failed ||= result.status !== 0;
}
process.exit(failed ? 1 : 0);
