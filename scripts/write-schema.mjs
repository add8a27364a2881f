// Writes schema/pipeline.schema.json from the JSON Schema constant in the
// built core (packages/core/src/pipeline/schema.ts is the source of truth).
// Usage, from the repository root: npx tsc -b && node scripts/write-schema.mjs
import { writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as prettier from 'prettier';

const require = createRequire(import.meta.url);
const { pipelineJsonSchema } = require('../packages/core/out/src/pipeline/schema.js');

const target = fileURLToPath(new URL('../schema/pipeline.schema.json', import.meta.url));
const options = { ...(await prettier.resolveConfig(target)), filepath: target };
await writeFile(target, await prettier.format(JSON.stringify(pipelineJsonSchema), options));
process.stdout.write(`wrote ${target}\n`);
