import * as fs from 'node:fs';
import * as path from 'node:path';
import { glob } from 'glob';

/**
 * Lists the compiled `*.test.js` files under `compiledDir` (a folder of
 * test/out/src), sorted, skipping those whose TypeScript source is gone: tsc
 * never deletes outputs, and a stale test of a deleted file must not run.
 * Fails when none is left, so a wrong folder cannot pass as "0 tests".
 */
export async function findCompiledTests(compiledDir: string): Promise<string[]> {
  const compiled = await glob('**/*.test.js', { cwd: compiledDir, absolute: true });
  const current = compiled.filter((file) => {
    const source = sourceOf(file);
    if (source === undefined || fs.existsSync(source)) return true;
    process.stderr.write(`[harness] skipping ${file}: its source ${source} no longer exists\n`);
    return false;
  });
  if (current.length === 0) throw new Error(`no *.test.js files under ${compiledDir}`);
  return current.sort();
}

/** test/out/src/e2e/a.test.js → test/src/e2e/a.test.ts (undefined outside an out/ tree). */
function sourceOf(compiledFile: string): string | undefined {
  const marker = `${path.sep}out${path.sep}`;
  const at = compiledFile.lastIndexOf(marker);
  if (at < 0) return undefined;
  const source = compiledFile.slice(0, at) + path.sep + compiledFile.slice(at + marker.length);
  return source.replace(/\.js$/, '.ts');
}
