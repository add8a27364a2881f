import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import Ajv from 'ajv';
import type { ValidateFunction } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { isPipelineFile } from '../../src/pipeline/files';
import { pipelineJsonSchema } from '../../src/pipeline/schema';

/** The repository root: the nearest directory above this file whose package.json declares workspaces. */
export function repoRoot(): string {
  let dir = __dirname;
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && readFileSync(manifest, 'utf8').includes('"workspaces"')) return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no workspace root above ${__dirname}`);
    dir = parent;
  }
}

/** Every pipeline file under `dir`, skipping node_modules and .baton, sorted for stable test names. */
export function findPipelineFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name === '.baton') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) found.push(...findPipelineFiles(path));
    else if (isPipelineFile(entry.name)) found.push(path);
  }
  return found.sort();
}

/** A draft-07 validator for the pipeline schema, compiled in Ajv's strict mode. */
export function compileSchema(): ValidateFunction {
  const ajv = new Ajv({ strict: true, allowUnionTypes: true, allErrors: true });
  return ajv.compile(pipelineJsonSchema);
}

/** The plain value of a pipeline file, as an editor's schema validation sees it. */
export function plainValue(text: string, file: string): unknown {
  return file.endsWith('.json') ? JSON.parse(text) : parseYaml(text, { merge: true });
}
