// Copies the pipeline JSON Schema from the repository root into the extension,
// so the packaged extension can point `jsonValidation`/`yamlValidation` at it.
// A missing schema is reported and skipped: the extension still builds and works,
// only without completion and validation in pipeline files.
import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const extensionDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const source = join(extensionDir, '..', 'schema', 'pipeline.schema.json');
const target = join(extensionDir, 'schema', 'pipeline.schema.json');

if (existsSync(source)) {
  mkdirSync(dirname(target), { recursive: true });
  copyFileSync(source, target);
} else {
  process.stderr.write(
    `copy-schema: ${relative(process.cwd(), source)} does not exist yet; pipeline files get no schema validation.\n`,
  );
}
