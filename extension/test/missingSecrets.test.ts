import * as assert from 'node:assert/strict';
import { ErrorCodes } from '@baton/protocol';
import { declaredSecrets, missingSecretsOf } from '../src/model/missingSecrets';

describe('missingSecrets', () => {
  it('reads the names of a SecretsMissing error and nothing else', () => {
    const error = { code: ErrorCodes.SecretsMissing, message: 'm', data: { missing: ['A', 'B'] } };
    assert.deepEqual(missingSecretsOf(error), ['A', 'B']);
    assert.equal(
      missingSecretsOf({ code: ErrorCodes.LockHeld, data: { missing: ['A'] } }),
      undefined,
    );
    assert.equal(missingSecretsOf({ code: ErrorCodes.SecretsMissing }), undefined);
    assert.equal(
      missingSecretsOf({ code: ErrorCodes.SecretsMissing, data: { missing: [] } }),
      undefined,
    );
    assert.equal(missingSecretsOf(new Error('plain')), undefined);
    assert.equal(missingSecretsOf(undefined), undefined);
  });

  it('lists the declared secret names, sorted, with the pipelines that use each', () => {
    const declared = declaredSecrets([
      { name: 'Deploy', secrets: ['TOKEN', 'DB_PASS'] },
      { name: 'Plain' },
      { name: 'Backup', secrets: ['TOKEN'] },
    ]);
    assert.deepEqual(
      [...declared],
      [
        ['DB_PASS', ['Deploy']],
        ['TOKEN', ['Deploy', 'Backup']],
      ],
    );
  });
});
