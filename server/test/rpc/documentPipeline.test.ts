import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type * as P from '@baton/protocol';
import { startLspSession, type LspSession } from './lspClient';

const SAVED = ['name: Saved', 'stages:', '  a:', '    run: "true"', ''].join('\n');

describe('baton/getDocumentPipeline: the pipeline of an open document’s unsaved text', function () {
  this.timeout(60000);
  let workspace = '';
  let session: LspSession | undefined;

  beforeEach(() => {
    workspace = mkdtempSync(path.join(os.tmpdir(), 'baton-docpipe-'));
    writeFileSync(path.join(workspace, 'edit.pipeline.yaml'), SAVED);
  });
  afterEach(async () => {
    if (session !== undefined && session.child.exitCode === null) {
      session.child.kill('SIGKILL');
      await session.exited;
    }
    session = undefined;
    rmSync(workspace, { recursive: true, force: true });
  });

  it('follows the edits, and gives a half-written text’s diagnostics', async () => {
    const lsp = (session = (await startLspSession(workspace)).session);
    const uri = pathToFileURL(path.join(workspace, 'edit.pipeline.yaml')).href;
    const ask = (): Promise<P.GetDocumentPipelineResult> =>
      lsp.client.sendRequest('baton/getDocumentPipeline', { textDocument: { uri } });
    assert.equal(await ask(), null, 'not open yet');
    await lsp.client.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'yaml', version: 1, text: SAVED },
    });
    const edited = `${SAVED}  b:\n    needs: a\n    foreach: "*.txt"\n    run: cat "$BATON_ITEM"\n`;
    await lsp.client.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 2 },
      contentChanges: [{ text: edited }],
    });
    const second = await ask();
    assert.equal(second?.version, 2);
    assert.equal(second?.pipeline.valid, true);
    assert.equal(second?.pipeline.id, 'edit');
    assert.deepEqual(
      second?.pipeline.stages.map((s) => [s.id, s.needs, s.fanOut]),
      [
        ['a', [], undefined],
        ['b', ['a'], 'foreach'],
      ],
    );
    await lsp.client.sendNotification('textDocument/didChange', {
      textDocument: { uri, version: 3 },
      contentChanges: [{ text: `${SAVED}  b:\n    needs: [zz\n` }],
    });
    const third = await ask();
    assert.equal(third?.pipeline.valid, false);
    assert.ok(
      (third?.pipeline.diagnostics.length ?? 0) > 0,
      'the problems of the half-written text',
    );
    assert.equal(await lsp.stop(), 0);
  });
});
