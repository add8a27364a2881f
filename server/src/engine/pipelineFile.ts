import { parsePipeline } from '@baton/core';
import type { Pipeline } from '@baton/core';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { EngineError } from './engineErrors';
import type { ParsedPipelines } from './parsedPipelines';

/**
 * Reads and validates a pipeline file; throws `invalidPipeline` with every
 * diagnostic, or `notFound`. With `parsed`, an unchanged file's model is
 * read back from there instead of being parsed again, and a new one is kept.
 */
export async function loadPipeline(file: string, parsed?: ParsedPipelines): Promise<Pipeline> {
  const absolute = path.resolve(file);
  let text: string;
  try {
    text = await fs.readFile(absolute, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new EngineError(
      'notFound',
      `cannot read pipeline file ${file}: ${code === 'ENOENT' ? 'no such file' : String(error)}`,
    );
  }
  const known = parsed?.read(absolute, text);
  if (known !== undefined) return known;
  const result = parsePipeline(text, absolute);
  const errors = result.diagnostics.filter((d) => d.severity === 'error');
  if (!result.pipeline || errors.length > 0) {
    throw new EngineError(
      'invalidPipeline',
      `${file} has ${errors.length} error${errors.length === 1 ? '' : 's'}`,
      result.diagnostics,
    );
  }
  await parsed?.write(absolute, text, result.pipeline);
  return result.pipeline;
}
