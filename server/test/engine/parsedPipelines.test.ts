import * as assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parsePipeline } from '@baton/core';
import { Engine } from '../../src/engine/engine';
import { loadPipeline } from '../../src/engine/pipelineFile';
import { ParsedPipelines } from '../../src/engine/parsedPipelines';
import { tempDir, writePipeline } from './helpers';

const sha256 = (text: string): string => createHash('sha256').update(text).digest('hex');

const YAML = `name: parsed\nstages:\n  a: { run: 'echo a', deps: ['data/*.txt'], outputs: [out/a.txt] }\n  b: { run: 'echo b', needs: [a] }\n`;

describe('parsed pipelines kept for unchanged pipeline files', () => {
  let dir: string;
  let state: string;
  let file: string;
  const parsedDir = (): string => path.join(state, 'parsed');

  /** The one kept file, with its pipeline's name replaced and a correct checksum, to show it is read. */
  async function plantName(name: string): Promise<void> {
    const [kept] = await fs.readdir(parsedDir());
    const target = path.join(parsedDir(), kept ?? '');
    const stored = await fs.readFile(target, 'utf8');
    const body = JSON.parse(stored.slice(stored.indexOf('\n') + 1)) as {
      pipeline: { name: string };
    };
    body.pipeline.name = name;
    const text = JSON.stringify(body);
    await fs.writeFile(target, `${sha256(text)}\n${text}`);
  }

  beforeEach(async () => {
    dir = await tempDir('parsed');
    state = path.join(dir, 'state');
    file = await writePipeline(dir, 'p', YAML);
  });

  afterEach(async () => {
    await fs.rm(dir, { recursive: true, force: true });
  });

  it('gives back the very model the parser made, and reads it from the kept file', async () => {
    const parsed = new ParsedPipelines(state, 'build-1');
    const first = await loadPipeline(file, parsed);
    assert.deepEqual(first, parsePipeline(YAML, file).pipeline);
    assert.deepEqual(await loadPipeline(file, parsed), first);
    await plantName('planted');
    assert.equal((await loadPipeline(file, parsed)).name, 'planted');
  });

  it('parses again when the text, the path or the build is another', async () => {
    await loadPipeline(file, new ParsedPipelines(state, 'build-1'));
    await plantName('planted');
    assert.equal((await loadPipeline(file, new ParsedPipelines(state, 'build-2'))).name, 'parsed');
    // build-2 replaced the kept file: plant again for build-1.
    await loadPipeline(file, new ParsedPipelines(state, 'build-1'));
    await plantName('planted');
    await fs.writeFile(file, YAML.replace('name: parsed', 'name: edited'));
    assert.equal((await loadPipeline(file, new ParsedPipelines(state, 'build-1'))).name, 'edited');
    const copy = await writePipeline(dir, 'copy', YAML);
    assert.equal((await loadPipeline(copy, new ParsedPipelines(state, 'build-1'))).name, 'parsed');
  });

  it('parses again when the kept file is damaged, torn or missing', async () => {
    const parsed = new ParsedPipelines(state, 'build-1');
    await loadPipeline(file, parsed);
    const [kept] = await fs.readdir(parsedDir());
    const target = path.join(parsedDir(), kept ?? '');
    const good = await fs.readFile(target, 'utf8');
    const damaged = [good.slice(0, good.length / 2), good.replace('echo a', 'echo A'), '{}', ''];
    for (const text of damaged) {
      await fs.writeFile(target, text);
      assert.deepEqual(await loadPipeline(file, parsed), parsePipeline(YAML, file).pipeline);
    }
    await fs.rm(parsedDir(), { recursive: true });
    assert.equal((await loadPipeline(file, parsed)).name, 'parsed');
  });

  it('keeps nothing without a build id, and never keeps an invalid pipeline', async () => {
    await loadPipeline(file, new ParsedPipelines(state, undefined));
    await assert.rejects(fs.stat(parsedDir()), { code: 'ENOENT' });
    const bad = await writePipeline(
      dir,
      'bad',
      'name: bad\nstages:\n  a: { run: x, needs: [nope] }\n',
    );
    const parsed = new ParsedPipelines(state, 'build-1');
    await assert.rejects(loadPipeline(bad, parsed), /error/);
    await assert.rejects(loadPipeline(bad, parsed), /error/);
    await assert.rejects(fs.stat(parsedDir()), { code: 'ENOENT' });
  });

  it('keeps no pipeline that declares secrets, so no secret reaches the state directory', async () => {
    const parsed = new ParsedPipelines(state, 'build-1');
    const secretEnv = await writePipeline(
      dir,
      'env',
      'name: env\nenv: { API_KEY: key-77 }\nsecrets: [API_KEY]\nstages:\n  a: { run: x }\n',
    );
    const secretInput = await writePipeline(
      dir,
      'input',
      'name: input\ninputs:\n  token: { prompt: T?, type: text, secret: true, default: tok-42 }\nstages:\n  a: { run: x }\n',
    );
    for (const file of [secretEnv, secretInput]) {
      assert.equal((await loadPipeline(file, parsed)).stages.length, 1);
    }
    await assert.rejects(fs.stat(parsedDir()), { code: 'ENOENT' });
  });

  it('is what the engine plans with, given a build id', async () => {
    const engine = new Engine({ stateDir: state, buildId: 'build-1' });
    const plan = await engine.planRun({ file });
    assert.deepEqual(
      plan.units.map((u) => u.unit),
      ['a', 'b'],
    );
    await plantName('planted');
    assert.equal(
      (await new Engine({ stateDir: state, buildId: 'build-1' }).planRun({ file })).pipeline,
      'planted',
    );
  });
});
