/**
 * Pipeline file names: `<id>.pipeline.yaml`, `<id>.pipeline.yml` or
 * `<id>.pipeline.json`. Works on `/` and `\` paths alike.
 */

const SUFFIX = /\.pipeline\.(yaml|yml|json)$/;

function baseName(path: string): string {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return path.slice(cut + 1);
}

/** True when `path` names a pipeline file (with a non-empty id before the suffix). */
export function isPipelineFile(path: string): boolean {
  const name = baseName(path);
  const match = SUFFIX.exec(name);
  return match !== null && match.index > 0;
}

/** True when `path` is a JSON pipeline file (parsed as strict JSON rather than YAML). */
export function isJsonPipelineFile(path: string): boolean {
  return /\.json$/i.test(baseName(path));
}

/** The pipeline id: the file name without its `.pipeline.yaml|yml|json` suffix (the bare name if there is none). */
export function pipelineIdFromFile(path: string): string {
  return baseName(path).replace(SUFFIX, '');
}
