/**
 * A stage's Python virtual environment (`venv:`). It is checked when the
 * stage starts, not when the pipeline is validated: an earlier stage often
 * makes it (`python3 -m venv .venv`), so at validation time it may not exist yet.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { StageSpec } from '@baton/core';

/** The absolute folder of the stage's venv (relative to the pipeline file's folder), if it has one. */
export function stageVenv(spec: StageSpec, pipelineDir: string): string | undefined {
  return spec.venv === undefined ? undefined : path.resolve(pipelineDir, spec.venv);
}

/**
 * Why `dir` is not a virtual environment, or undefined when it is one: every
 * venv (`python -m venv`, `virtualenv`, `uv venv`) has a `pyvenv.cfg` at its top.
 */
export async function venvProblem(dir: string): Promise<string | undefined> {
  try {
    await fs.access(path.join(dir, 'pyvenv.cfg'));
    return undefined;
  } catch {
    const exists = await fs.stat(dir).then(
      (stat) => stat.isDirectory(),
      () => false,
    );
    return exists
      ? `venv ${dir} is not a Python virtual environment (it has no pyvenv.cfg; make one with: python3 -m venv ${dir})`
      : `venv ${dir} does not exist (make it with: python3 -m venv ${dir}, in this stage's run or a stage it needs)`;
  }
}
