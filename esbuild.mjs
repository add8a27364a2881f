// Bundles what ships: the extension and the server into extension/dist/.
// Filled in by the extension issue; until the entry points exist it does nothing.
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
    logLevel: 'warning',
  });
}
