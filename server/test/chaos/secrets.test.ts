import * as assert from 'node:assert/strict';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { waitFor } from '../helpers/waitFor';
import { baton, describeResult, runIdIn, startBaton } from '../reliability/harness/cli';
import {
  makeSecrets,
  secretValues,
  writeSecretsPipeline,
} from '../reliability/harness/securityPipelines';
import { describeChaos } from './chaosReport';

/**
 * Masking must hide secrets from people, not from the stages: a prompt whose
 * default is a masked value, and after a resume an output that holds a
 * secret, used to reach the stage as `***` (docs/reliability.md, fixed bugs 5
 * and 6).
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

  it('a stage output holding a secret reaches a later stage intact after a resume', async () => {
    const token = `tok-${Date.now().toString(36)}-secret`;
    const seen = path.join(workspace, 'seen.txt');
    await fs.writeFile(
      path.join(workspace, 's.pipeline.yaml'),
      `secrets: [TOK]
stages:
  first: { run: 'echo "out=$TOK" >> "$BATON_OUTPUT"' }
  hold:
    needs: [first]
    run: 'if [ -e "$BATON_STATE/once" ]; then exit 0; fi; touch "$BATON_STATE/once"; echo holding; sleep 60'
  use:
    needs: [hold]
    run: 'echo "\${{ stages.first.outputs.out }}" > ${JSON.stringify(seen)}'
`,
    );
    const env = { TOK: token };
    const owner = startBaton(workspace, ['run', 's.pipeline.yaml', '--yes'], env);
    await waitFor('the holding stage', () => owner.output().includes('[hold] holding'));
    owner.child.kill('SIGKILL');
    await owner.done;
    const runId = runIdIn(owner.output()) ?? '';
    const resumed = await baton(workspace, ['resume', runId, '--yes'], env);
    assert.equal(resumed.code, 0, describeResult(resumed));
    assert.equal(await fs.readFile(seen, 'utf8'), `${token}\n`);
  });
});
