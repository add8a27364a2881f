// Bundles what ships: the extension and the server into extension/dist/.
import { existsSync } from 'node:fs';
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const builds = [
  { entry: 'extension/src/extension.ts', out: 'extension/dist/extension.js', external: ['vscode'] },
  { entry: 'server/src/main.ts', out: 'extension/dist/server.js', external: [] },
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
    sourcemap: !production,
    minify: production,
    external: b.external,
    // ESM-only dependencies (fdir via tinyglobby) read import.meta.url, which a
    // CommonJS bundle does not have: give them this file's own URL.
    define: { 'import.meta.url': 'importMetaUrl' },
    banner: { js: "const importMetaUrl = require('node:url').pathToFileURL(__filename).href;" },
    logLevel: 'warning',
  });
}
