import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';

/** The shape of the generated project: independent chains of stages, each stage reading its own files. */
export interface ProjectShape {
  readonly chains: number;
  readonly length: number;
  readonly filesPerStage: number;
}

function stageName(chain: number, step: number): string {
  return `c${chain}s${step}`;
}

function command(chain: number, step: number): string {
  const name = stageName(chain, step);
  const previous = step > 0 ? ` out/${stageName(chain, step - 1)}.txt` : '';
  return `cat data/${name}/*.txt${previous} > out/${name}.txt`;
}

/** The Baton pipeline: each stage declares its data folder as `deps:` and its file as `outputs:`. */
function pipelineYaml(shape: ProjectShape): string {
  const lines = ['name: Incremental', 'stages:'];
  for (let chain = 0; chain < shape.chains; chain++) {
    for (let step = 0; step < shape.length; step++) {
      const name = stageName(chain, step);
      lines.push(`  ${name}:`, `    run: ${JSON.stringify(command(chain, step))}`);
      lines.push(`    deps: [data/${name}/*.txt]`, `    outputs: [out/${name}.txt]`);
      if (step > 0) lines.push(`    needs: [${stageName(chain, step - 1)}]`);
    }
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The same dependency graph as a Makefile, every prerequisite listed. Make's
 * built-in implicit rules are off, as in any tuned Makefile: otherwise make
 * searches them for each of the ten thousand data files and is slower than
 * it need be.
 */
function makefile(shape: ProjectShape): string {
  const targets: string[] = [];
  const rules: string[] = [];
  for (let chain = 0; chain < shape.chains; chain++) {
    for (let step = 0; step < shape.length; step++) {
      const name = stageName(chain, step);
      const files = Array.from({ length: shape.filesPerStage }, (_, i) => `data/${name}/f${i}.txt`);
      if (step > 0) files.push(`out/${stageName(chain, step - 1)}.txt`);
      targets.push(`out/${name}.txt`);
      rules.push(`out/${name}.txt: ${files.join(' ')}`, `\t@${command(chain, step)}`);
    }
  }
  return `MAKEFLAGS += --no-builtin-rules\n.SUFFIXES:\nall: ${targets.join(' ')}\n${rules.join('\n')}\n`;
}

/** The same graph as a Snakefile. */
function snakefile(shape: ProjectShape): string {
  const outputs: string[] = [];
  const rules: string[] = [];
  for (let chain = 0; chain < shape.chains; chain++) {
    for (let step = 0; step < shape.length; step++) {
      const name = stageName(chain, step);
      const files = Array.from(
        { length: shape.filesPerStage },
        (_, i) => `"data/${name}/f${i}.txt"`,
      );
      if (step > 0) files.push(`"out/${stageName(chain, step - 1)}.txt"`);
      outputs.push(`"out/${name}.txt"`);
      rules.push(
        `rule ${name}:\n    input: ${files.join(', ')}\n    output: "out/${name}.txt"\n    shell: ${JSON.stringify(command(chain, step))}`,
      );
    }
  }
  return `rule all:\n    input: ${outputs.join(', ')}\n${rules.join('\n')}\n`;
}

/**
 * Writes the data files, `out/`, and the pipeline, Makefile and Snakefile
 * of one project into `dir`.
 */
export function writeProject(dir: string, shape: ProjectShape): void {
  mkdirSync(path.join(dir, 'out'), { recursive: true });
  for (let chain = 0; chain < shape.chains; chain++) {
    for (let step = 0; step < shape.length; step++) {
      const folder = path.join(dir, 'data', stageName(chain, step));
      mkdirSync(folder, { recursive: true });
      for (let file = 0; file < shape.filesPerStage; file++) {
        writeFileSync(path.join(folder, `f${file}.txt`), `${chain} ${step} ${file}\n`);
      }
    }
  }
  writeFileSync(path.join(dir, 'bench.pipeline.yaml'), pipelineYaml(shape));
  writeFileSync(path.join(dir, 'Makefile'), makefile(shape));
  writeFileSync(path.join(dir, 'Snakefile'), snakefile(shape));
}

/** Changes one data file of the first stage of chain 0, so that chain (and only it) must run again. */
export function touchOneFile(dir: string, mark: string): void {
  appendFileSync(path.join(dir, 'data', stageName(0, 0), 'f0.txt'), `${mark}\n`);
}
