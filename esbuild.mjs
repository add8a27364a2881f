// Bundles what ships: the extension and the server into extension/dist/, and the
// `baton` CLI into server/dist/ (server/bin/baton.js runs it; see that file).
import { existsSync } from 'node:fs';
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const builds = [
  { entry: 'extension/src/extension.ts', out: 'extension/dist/extension.js', external: ['vscode'] },
  { entry: 'server/src/main.ts', out: 'extension/dist/server.js', external: [] },
  {
    entry: 'server/src/cli/main.ts',
    out: 'server/dist/baton.js',
    // Loaded only to ask a prompt in a terminal, and ESM-only: left to Node to load then.
    external: ['@inquirer/prompts'],
    // Never minified: a stack trace from the CLI stays readable without its source map.
    readable: true,
  },
];
for (const b of builds) {
  if (!existsSync(b.entry)) continue;
  await esbuild.build({
    entryPoints: [b.entry],
    outfile: b.out,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: b.readable || !production,
    minify: production && !b.readable,
    external: b.external,
    // ESM-only dependencies (fdir via tinyglobby) read import.meta.url, which a
    // CommonJS bundle does not have: give them this file's own URL.
    define: { 'import.meta.url': 'importMetaUrl' },
    banner: { js: "const importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    logLevel: 'warning',
  });
}
