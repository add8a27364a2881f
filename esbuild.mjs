// Bundles what ships: the extension and the server into extension/dist/, and the
// `baton` CLI into server/dist/ with V8's code cache of it (server/bin/cliLoader.js
// loads both; server/bin/baton.js runs it), beside the small entry that prints a
// kept dry-run plan (dry-run.js).
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const builds = [
  { entry: 'extension/src/extension.ts', out: 'extension/dist/extension.js', external: ['vscode'] },
  { entry: 'server/src/main.ts', out: 'extension/dist/server.js', external: [] },
  // Never minified: a stack trace from the CLI stays readable without its source map.
  { entry: 'server/src/cli/cliMain.ts', out: 'server/dist/baton.js', external: [], cli: true },
  // What `baton run <file> --dry-run` needs to print a kept plan, without the rest of the CLI.
  { entry: 'server/src/cli/cachedDryRun.ts', out: 'server/dist/dry-run.js', external: [] },
];

/** The CLI bundle runs without a module loader for `import()` (see cliLoader.js). */
function refuseRuntimeImports(metafile, out) {
  const imports = Object.values(metafile.outputs).flatMap((output) => output.imports);
  const dynamic = imports.filter((i) => i.kind === 'dynamic-import' && i.external);
  if (dynamic.length === 0) return;
  rmSync(out, { force: true });
  throw new Error(`${out} would import() at run time: ${dynamic.map((i) => i.path).join(', ')}`);
}

/**
 * Makes the CLI bundle pure ASCII, which V8 keeps and scans as one byte per
 * character (about 6% of the instructions `baton --version` runs). esbuild
 * already escapes every other character in code, so what is left are a few in
 * comments (`…`, `–`, names in luxon's examples); each UTF-16 unit becomes a
 * `?`, which keeps every column, so the source map stays right.
 */
function asciiOnly(file) {
  const text = readFileSync(file, 'utf8');
  const ascii = text.replace(/[\u0080-\uffff]/g, '?');
  if (ascii !== text) writeFileSync(file, ascii);
}

/*
 * Each bundle's first line names its build: a hash of its own text, written
 * over a placeholder of the same length (so the source map's columns stay
 * right). The CLI's code cache is keyed on it (cliLoader.js), and the engine
 * reuses parsed pipelines only within one build (server/src/engine/parsedPipelines.ts).
 */
const BUILD_ID_PLACEHOLDER = '0'.repeat(24);

function writeBuildId(file) {
  const text = readFileSync(file, 'utf8');
  const id = createHash('sha256').update(text).digest('hex').slice(0, BUILD_ID_PLACEHOLDER.length);
  const line = `const BATON_BUILD_ID = "${BUILD_ID_PLACEHOLDER}";`;
  if (!text.startsWith(line)) throw new Error(`${file} does not start with its build id line`);
  writeFileSync(file, line.replace(BUILD_ID_PLACEHOLDER, id) + text.slice(line.length));
}

for (const b of builds) {
  if (!existsSync(b.entry)) continue;
  // A cache for an older bundle is never used, but nor should it outlive it.
  if (b.cli) rmSync(`${b.out}.cache`, { force: true });
  const result = await esbuild.build({
    entryPoints: [b.entry],
    outfile: b.out,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    sourcemap: b.cli || !production,
    minify: production && !b.cli,
    external: b.external,
    metafile: b.cli === true,
    // ESM-only dependencies (fdir via tinyglobby) read import.meta.url, which a
    // CommonJS bundle does not have: give them this file's own URL.
    define: { 'import.meta.url': 'importMetaUrl' },
    banner: {
      js: `const BATON_BUILD_ID = "${BUILD_ID_PLACEHOLDER}";\nconst importMetaUrl = require('node:url').pathToFileURL(__filename).href;`,
    },
    logLevel: 'warning',
  });
  if (b.cli) {
    refuseRuntimeImports(result.metafile, b.out);
    asciiOnly(b.out);
  }
  writeBuildId(b.out);
  if (b.cli) {
    // In a process of its own: it runs the bundle's top level, with Node's default flags.
    execFileSync(process.execPath, ['server/bin/cliLoader.js', b.out], { stdio: 'inherit' });
  }
}
