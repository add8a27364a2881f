import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import type { Engine } from '../../src/engine/engine';
import { isEngineError } from '../../src/engine/engineErrors';
import { EnvFileError, parseEnvFile } from '../../src/engine/run/envFile';
import { useEngineFixture, writePipeline } from './helpers';

describe('parseEnvFile', () => {
  it('reads names, export, comments, quotes, escapes and multi-line values', () => {
    const text = [
      '# a comment',
      '',
      'PLAIN=value',
      'export EXPORTED = spaced value  # trailing comment',
      "SINGLE='literal $HOME \\n'",
      'DOUBLE="tab\\there \\"quoted\\""',
      'EMPTY=',
      'KEY="-----BEGIN-----',
      'line one',
      '-----END-----"',
      'AFTER=1',
    ].join('\n');
    assert.deepEqual(parseEnvFile(text, '.env'), {
      PLAIN: 'value',
      EXPORTED: 'spaced value',
      SINGLE: 'literal $HOME \\n',
      DOUBLE: 'tab\there "quoted"',
      EMPTY: '',
      KEY: '-----BEGIN-----\nline one\n-----END-----',
      AFTER: '1',
    });
  });

  it('names the file and line of a bad line, never skipping it', () => {
    const cases: [string, number, RegExp][] = [
      ['A=1\njust words\n', 2, /expected NAME=value/],
      ['1BAD=x\n', 1, /not a variable name/],
      ['A=1\nB="open\nstill open\n', 2, /never closed/],
      ["A='x' trailing\n", 1, /after the closing/],
    ];
    for (const [text, line, reason] of cases) {
      assert.throws(
        () => parseEnvFile(text, '/w/.env'),
        (error: unknown) =>
          error instanceof EnvFileError &&
          error.line === line &&
          reason.test(error.message) &&
          error.message.startsWith(`/w/.env:${line}: `),
        JSON.stringify(text),
      );
    }
  });
});

describe('Engine: a pipeline’s dotenv file', function () {
  this.timeout(30_000);
  const fixture = useEngineFixture('env-file');
  let engine: Engine;
  beforeEach(() => {
    engine = fixture.newEngine();
  });

  async function runLog(runId: string, stage: string): Promise<string> {
    return fs.readFile(
      path.join(fixture.dir, '.baton', 'runs', runId, 'logs', `${stage}.1.log`),
      'utf8',
    );
  }

  it('gives stages the .env beside the pipeline, masks the secrets it holds, and lets the environment win', async () => {
    await fs.writeFile(
      path.join(fixture.dir, '.env'),
      'GREETING=hello from dotenv\nAPI_TOKEN="tok-dotenv-5ecret"\nPATH_HINT=from-file\n',
    );
    const file = await writePipeline(
      fixture.dir,
      'p',
      `name: dotenv
secrets: [API_TOKEN]
stages:
  show: { run: 'echo "$GREETING / $API_TOKEN / $PATH_HINT"' }
`,
    );
    process.env.PATH_HINT = 'from-environment';
    try {
      const handle = await engine.startRun({ file, interactive: false });
      assert.equal(await handle.finished, 'succeeded');
      const log = await runLog(handle.runId, 'show');
      assert.equal(log, 'hello from dotenv / *** / from-environment\n');
      const events = await fs.readFile(
        path.join(fixture.dir, '.baton', 'runs', handle.runId, 'events.jsonl'),
        'utf8',
      );
      assert.ok(!events.includes('tok-dotenv-5ecret'));
    } finally {
      delete process.env.PATH_HINT;
    }
  });

  it('reads the file env_file: names, and refuses to start on a bad line, naming it', async () => {
    await fs.mkdir(path.join(fixture.dir, 'conf'));
    await fs.writeFile(path.join(fixture.dir, 'conf', 'dev.env'), 'NAME=named file\n');
    const good = await writePipeline(
      fixture.dir,
      'good',
      `name: good\nenv_file: conf/dev.env\nstages:\n  a: { run: 'echo "$NAME"' }\n`,
    );
    const handle = await engine.startRun({ file: good, interactive: false });
    assert.equal(await handle.finished, 'succeeded');
    assert.equal(await runLog(handle.runId, 'a'), 'named file\n');

    await fs.writeFile(path.join(fixture.dir, 'conf', 'dev.env'), 'NAME=ok\nnot a line\n');
    await assert.rejects(
      engine.startRun({ file: good, interactive: false }),
      (error: unknown) =>
        isEngineError(error, 'invalidPipeline') &&
        /dev\.env:2: expected NAME=value/.test(error.message),
    );
    const missing = await writePipeline(
      fixture.dir,
      'missing',
      `name: missing\nenv_file: nowhere.env\nstages:\n  a: { run: 'true' }\n`,
    );
    await assert.rejects(
      engine.startRun({ file: missing, interactive: false }),
      (error: unknown) =>
        isEngineError(error, 'invalidPipeline') && /nowhere\.env.*ENOENT/.test(error.message),
    );
  });
});
