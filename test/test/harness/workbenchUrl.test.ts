import * as assert from 'node:assert/strict';
import { workbenchUrl } from '../../src/harness/workbenchUrl';

describe('workbenchUrl', () => {
  it('opens the folder and passes the extension paths as a remote payload', () => {
    const url = new URL(
      workbenchUrl('http://127.0.0.1:4000/', {
        workspace: '/tmp/ws dir',
        extensionDevelopmentPath: '/repo/extension',
        extensionTestsPath: '/repo/test/out/src/integration/index.js',
      }),
    );
    assert.equal(url.searchParams.get('folder'), '/tmp/ws dir');
    assert.deepEqual(JSON.parse(url.searchParams.get('payload') ?? ''), [
      ['extensionDevelopmentPath', 'vscode-remote://remote/repo/extension'],
      ['extensionTestsPath', 'vscode-remote://remote/repo/test/out/src/integration/index.js'],
    ]);
  });

  it('leaves out extensionTestsPath for e2e sessions', () => {
    const url = new URL(
      workbenchUrl('http://127.0.0.1:4000/', { workspace: '/w', extensionDevelopmentPath: '/e' }),
    );
    assert.deepEqual(JSON.parse(url.searchParams.get('payload') ?? ''), [
      ['extensionDevelopmentPath', 'vscode-remote://remote/e'],
    ]);
  });

  it('refuses relative paths, which the remote authority cannot resolve', () => {
    assert.throws(
      () =>
        workbenchUrl('http://127.0.0.1:4000/', {
          workspace: '/w',
          extensionDevelopmentPath: 'extension',
        }),
      /absolute path/,
    );
  });
});
