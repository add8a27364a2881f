import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { baton, describeResult } from '../reliability/harness/cli';
import {
  makeSecrets,
  secretValues,
  writeSecretsPipeline,
} from '../reliability/harness/securityPipelines';
import { describeChaos } from './chaosReport';

/**
 * Masking must hide secrets from people, not from the stage. Fails today: a
 * prompt whose default is a masked value hands the stage `***` instead
 * (docs/reliability.md, known limits).
 */
describeChaos('chaos: masking never changes what a stage receives', function () {
  this.timeout(60_000);
  let workspace = '';

  beforeEach(async () => {
    workspace = await fs.mkdtemp(path.join(os.tmpdir(), 'baton-mask-'));
  });
  afterEach(async () => {
    await fs.rm(workspace, { recursive: true, force: true });
  });

  it('a prompt default that is a masked value reaches the stage intact', async () => {
    const secrets = makeSecrets(workspace);
    const seenFile = await writeSecretsPipeline(workspace, secrets, { secretDefault: true });
    const run = await baton(
      workspace,
      ['run', 'secrets.pipeline.yaml', '--yes', '--input', `api_key=${secrets.apiKey}`],
      { CHAOS_TOKEN: secrets.token },
    );
    assert.equal(run.code, 0, describeResult(run));
    const [token, apiKey, dynamic] = await secretValues(secrets);
    assert.equal(
      (await fs.readFile(seenFile, 'utf8')).trim(),
      `${token} ${apiKey} ${dynamic} ${dynamic}`,
    );
  });
});
