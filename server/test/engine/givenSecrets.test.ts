import assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { Engine } from '../../src/engine/engine';
import { isEngineError } from '../../src/engine/engineErrors';
import { useEngineFixture, writePipeline } from './helpers';

const PIPELINE = `name: given
secrets: [FROM_ENV, FROM_FILE, FROM_CLIENT]
stages:
  show:
    run: printf '%s/%s/%s' "$FROM_ENV" "$FROM_FILE" "$FROM_CLIENT" > seen.txt
`;

describe('Engine: secrets given with the request', function () {
  this.timeout(20_000);
  const fixture = useEngineFixture('given-secrets');
  const engineWith = (env: Record<string, string>): Engine =>
    new Engine({
      stateDir: path.join(fixture.dir, '.baton'),
      baseEnv: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', ...env },
    });

  it('counts the environment, the dotenv file and the given values before calling one missing', async () => {
    const file = await writePipeline(fixture.dir, 'given', PIPELINE);
    await fs.writeFile(path.join(fixture.dir, '.env'), 'FROM_FILE=file-value\n');
    const engine = engineWith({ FROM_ENV: 'env-value' });
    await assert.rejects(
      engine.startRun({ file, interactive: false, secretsRequired: true }),
      (error: unknown) =>
        isEngineError(error, 'secretsMissing') && error.missingSecrets.join() === 'FROM_CLIENT',
    );
    const handle = await engine.startRun({
      file,
      interactive: false,
      secretsRequired: true,
      secrets: { FROM_CLIENT: 'client-value' },
    });
    assert.equal(await handle.finished, 'succeeded');
    const seen = await fs.readFile(path.join(fixture.dir, 'seen.txt'), 'utf8');
    assert.equal(seen, 'env-value/file-value/client-value');
  });

  it('lets a given value win over the environment and the dotenv file', async () => {
    const file = await writePipeline(fixture.dir, 'given', PIPELINE);
    await fs.writeFile(path.join(fixture.dir, '.env'), 'FROM_FILE=file-value\n');
    const engine = engineWith({ FROM_ENV: 'env-value' });
    const handle = await engine.startRun({
      file,
      interactive: false,
      secrets: { FROM_ENV: 'typed-1', FROM_FILE: 'typed-2', FROM_CLIENT: 'typed-3' },
    });
    assert.equal(await handle.finished, 'succeeded');
    const seen = await fs.readFile(path.join(fixture.dir, 'seen.txt'), 'utf8');
    assert.equal(seen, 'typed-1/typed-2/typed-3');
  });
});
