import * as assert from 'node:assert/strict';
import type * as P from '@baton/protocol';
import { DiagnosticsPublisher } from '../../src/language/diagnosticsPublisher';
import { OpenDocuments } from '../../src/language/openDocuments';
import { waitFor } from '../helpers/waitFor';
import { lines } from './languageHelpers';

const URI = 'file:///work/sync.pipeline.yaml';
const VALID = lines('stages:', '  a:', '    run: x');

function opened(documents: OpenDocuments, text = VALID): void {
  documents.open({ textDocument: { uri: URI, languageId: 'yaml', version: 1, text } });
}

describe('language: document sync and diagnostics publishing', () => {
  it('applies incremental and full changes, in UTF-16 positions', () => {
    const documents = new OpenDocuments();
    opened(documents, lines('stages:', '  a:', '    run: echo 🎼 x'));
    const change = (version: number, contentChanges: unknown[]): string | undefined =>
      documents.change({ textDocument: { uri: URI, version }, contentChanges })?.text;
    // After "🎼 " (two code units and a space): replace the x.
    const at = { line: 2, character: '    run: echo 🎼 '.length };
    assert.equal(
      change(2, [{ range: { start: at, end: { ...at, character: at.character + 1 } }, text: 'y' }]),
      lines('stages:', '  a:', '    run: echo 🎼 y'),
    );
    assert.equal(change(3, [{ text: VALID }]), VALID);
    assert.equal(documents.get(URI)?.document.version, 3);
    assert.equal(documents.close({ textDocument: { uri: URI } }), URI);
    assert.equal(documents.get(URI), undefined);
  });

  it('keeps only pipeline files, and refuses malformed params clearly', () => {
    const documents = new OpenDocuments();
    const other = {
      textDocument: { uri: 'file:///work/x.yaml', languageId: 'yaml', version: 1, text: '' },
    };
    assert.equal(documents.open(other), undefined);
    assert.throws(
      () => documents.open({ textDocument: { uri: URI, languageId: 'yaml', version: 1 } }),
      /textDocument.text|text: expected a string/,
    );
    opened(documents);
    assert.throws(
      () => documents.change({ textDocument: { uri: URI, version: 2 }, contentChanges: [{}] }),
      /contentChanges\[0\]\.text/,
    );
  });

  it('publishes an open file’s latest version once typing pauses, and the disk again on close', async () => {
    const sent: P.PublishDiagnosticsParams[] = [];
    const publisher = new DiagnosticsPublisher((params) => sent.push(params), 0);
    const documents = new OpenDocuments();
    const onDisk: P.WirePipeline = {
      id: 'sync',
      file: '/work/sync.pipeline.yaml',
      name: 'sync',
      valid: false,
      stages: [],
      inputs: [],
      diagnostics: [
        {
          file: '/work/sync.pipeline.yaml',
          line: 1,
          column: 1,
          severity: 'error',
          code: 'c',
          message: 'on disk',
        },
      ],
    };
    publisher.catalogChanged([onDisk]);
    publisher.catalogChanged([onDisk]);
    assert.deepEqual(
      sent.map((s) => s.diagnostics.map((d) => d.message)),
      [['on disk']],
      'a file on disk is sent once while it does not change',
    );
    opened(documents);
    const document = documents.get(URI);
    assert.ok(document);
    publisher.opened(document);
    assert.deepEqual(sent.at(-1), { uri: URI, version: 1, diagnostics: [] });
    publisher.catalogChanged([onDisk]);
    assert.equal(sent.length, 2, 'the open file’s text wins over the disk');
    for (const [version, text] of [
      [2, lines('stages:', '  a:', '    rn: x')],
      [3, lines('stages:', '  a:', '    run: x', '    tiemout: 1s')],
    ] as const) {
      const next = documents.change({
        textDocument: { uri: URI, version },
        contentChanges: [{ text }],
      });
      assert.ok(next);
      publisher.changed(next, () => documents.get(URI));
    }
    const latest = await waitFor('version 3 to be published', () =>
      sent.find((s) => s.version === 3),
    );
    assert.equal(latest.diagnostics[0]?.code, 'unknown-key');
    assert.equal(sent.filter((s) => s.version === 2).length, 0, 'a superseded version is not sent');
    publisher.closed(URI, '/work/sync.pipeline.yaml');
    assert.deepEqual(
      sent.at(-1)?.diagnostics.map((d) => d.message),
      ['on disk'],
    );
    publisher.catalogChanged([]);
    assert.deepEqual(sent.at(-1)?.diagnostics, [], 'a deleted file’s problems are cleared');
    publisher.dispose();
  });
});
