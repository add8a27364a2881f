import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ResponseError } from 'vscode-jsonrpc/node';
import type {
  CodeAction,
  CompletionList,
  DocumentSymbol,
  Hover,
  Location,
  WorkspaceEdit,
} from 'vscode-languageserver-types';
import { startLspSession, type LspSession } from './lspClient';

const DEMO = [
  'name: Demo',
  'stages:',
  '  fetch:',
  '    run: echo "dir=out" >> "$BATON_OUTPUT"',
  '  build:',
  '    needs: fetch',
  '    run: echo ',
  '',
].join('\n');

const BROKEN = ['stages:', '  a:', '    rn: make', ''].join('\n');

/** A position in `DEMO`: the line and the column of `text` in it. */
function at(line: number, text: string, shift = 0): { line: number; character: number } {
  const character = (DEMO.split('\n')[line] ?? '').indexOf(text);
  assert.ok(character >= 0, `${text} on line ${line}`);
  return { line, character: character + shift };
}

/** Asks for the run until it ended (each answer paces the next ask), within 30 s. */
async function runEnd(lsp: LspSession, runId: string): Promise<string> {
  const deadline = Date.now() + 30000;
  for (;;) {
    const { status } = await lsp.client.sendRequest<{ status: string }>('baton/getRun', { runId });
    if (!['queued', 'running', 'waiting'].includes(status) || Date.now() > deadline) return status;
  }
}

describe('language server: a plain LSP client against baton serve --stdio', function () {
  this.timeout(60000);
  let workspace = '';
  let session: LspSession | undefined;

  beforeEach(() => {
    workspace = mkdtempSync(path.join(os.tmpdir(), 'baton-lsp-'));
    writeFileSync(path.join(workspace, 'demo.pipeline.yaml'), DEMO);
    writeFileSync(path.join(workspace, 'broken.pipeline.yaml'), BROKEN);
  });
  afterEach(async () => {
    if (session !== undefined && session.child.exitCode === null) {
      session.child.kill('SIGKILL');
      await session.exited;
    }
    session = undefined;
    rmSync(workspace, { recursive: true, force: true });
  });

  it('advertises every feature, with UTF-16 positions', async () => {
    const started = await startLspSession(workspace);
    session = started.session;
    const caps = started.capabilities;
    assert.equal(caps.positionEncoding, 'utf-16');
    assert.deepEqual(caps.textDocumentSync, { openClose: true, change: 2 });
    for (const provider of [
      'completionProvider',
      'hoverProvider',
      'codeActionProvider',
      'definitionProvider',
      'referencesProvider',
      'renameProvider',
      'documentSymbolProvider',
    ]) {
      assert.ok(caps[provider], `${provider} is advertised`);
    }
    assert.equal(await session.stop(), 0);
  });

  it('serves diagnostics as you type, fixes, completion, hover, navigation, rename and the outline', async () => {
    const started = await startLspSession(workspace);
    const lsp = (session = started.session);
    const { client } = lsp;
    const demoUri = pathToFileURL(path.join(workspace, 'demo.pipeline.yaml')).href;
    const brokenUri = pathToFileURL(path.join(workspace, 'broken.pipeline.yaml')).href;

    // A closed file's problems come from the file on disk.
    const onDisk = await lsp.diagnosticsOf(
      brokenUri,
      (p) => p.diagnostics.length > 0,
      'disk diagnostics',
    );
    assert.ok(onDisk.diagnostics.some((d) => d.code === 'unknown-key'));

    // A real run, so the run store knows fetch's outputs and last run.
    const { runId } = await client.sendRequest<{ runId: string }>('baton/startRun', {
      pipeline: 'demo',
    });
    const status = await runEnd(lsp, runId);
    assert.equal(status, 'succeeded');

    await client.sendNotification('textDocument/didOpen', {
      textDocument: { uri: demoUri, languageId: 'yaml', version: 1, text: DEMO },
    });
    // An unsaved, incremental edit: a misspelt key under build.
    await client.sendNotification('textDocument/didChange', {
      textDocument: { uri: demoUri, version: 2 },
      contentChanges: [
        { range: { start: at(6, 'run'), end: at(6, 'run') }, text: 'tiemout: 5m\n    ' },
      ],
    });
    const typed = await lsp.diagnosticsOf(
      demoUri,
      (p) => p.version === 2,
      'diagnostics of version 2',
    );
    const [problem] = typed.diagnostics;
    assert.equal(problem?.code, 'unknown-key');
    assert.deepEqual(problem?.range, {
      start: { line: 6, character: 4 },
      end: { line: 6, character: 11 },
    });

    const actions = await client.sendRequest<CodeAction[]>('textDocument/codeAction', {
      textDocument: { uri: demoUri },
      range: problem.range,
      context: { diagnostics: [problem] },
    });
    assert.equal(actions[0]?.title, 'Change "tiemout" to "timeout"');
    assert.deepEqual(actions[0]?.edit?.changes?.[demoUri], [
      { range: problem.range, newText: 'timeout' },
    ]);

    // Undo the edit, then complete an expression in build's run.
    await client.sendNotification('textDocument/didChange', {
      textDocument: { uri: demoUri, version: 3 },
      contentChanges: [{ text: DEMO.replace('run: echo \n', 'run: echo ${{ \n') }],
    });
    await lsp.diagnosticsOf(demoUri, (p) => p.version === 3, 'diagnostics of version 3');
    const completion = await client.sendRequest<CompletionList>('textDocument/completion', {
      textDocument: { uri: demoUri },
      position: { line: 6, character: '    run: echo ${{ '.length },
    });
    assert.deepEqual(
      completion.items.map((i) => i.label),
      ['stages.fetch.outputs.dir'],
    );

    const hover = await client.sendRequest<Hover>('textDocument/hover', {
      textDocument: { uri: demoUri },
      position: at(5, 'fetch', 1),
    });
    assert.match(JSON.stringify(hover.contents), /Last run: succeeded in/);

    const definition = await client.sendRequest<Location[]>('textDocument/definition', {
      textDocument: { uri: demoUri },
      position: at(5, 'fetch'),
    });
    assert.deepEqual(definition[0]?.range.start, { line: 2, character: 2 });
    const references = await client.sendRequest<Location[]>('textDocument/references', {
      textDocument: { uri: demoUri },
      position: at(2, 'fetch'),
      context: { includeDeclaration: true },
    });
    assert.equal(references.length, 2);

    const prepared = await client.sendRequest<{ placeholder: string }>(
      'textDocument/prepareRename',
      {
        textDocument: { uri: demoUri },
        position: at(2, 'fetch'),
      },
    );
    assert.equal(prepared.placeholder, 'fetch');
    const renamed = await client.sendRequest<WorkspaceEdit>('textDocument/rename', {
      textDocument: { uri: demoUri },
      position: at(2, 'fetch'),
      newName: 'download',
    });
    assert.equal(renamed.changes?.[demoUri]?.length, 2);
    await assert.rejects(
      client.sendRequest('textDocument/rename', {
        textDocument: { uri: demoUri },
        position: at(2, 'fetch'),
        newName: 'build',
      }),
      (error: unknown) =>
        error instanceof ResponseError &&
        error.code === -32803 &&
        /already a stage/.test(error.message),
    );

    const symbols = await client.sendRequest<DocumentSymbol[]>('textDocument/documentSymbol', {
      textDocument: { uri: demoUri },
    });
    assert.deepEqual(
      symbols.find((s) => s.name === 'stages')?.children?.map((s) => s.name),
      ['fetch', 'build'],
    );

    // Closing the edited file: its diagnostics are the file on disk's again (none).
    await client.sendNotification('textDocument/didOpen', {
      textDocument: {
        uri: brokenUri,
        languageId: 'yaml',
        version: 1,
        text: 'stages:\n  a:\n    run: fixed\n',
      },
    });
    await lsp.diagnosticsOf(
      brokenUri,
      (p) => p.diagnostics.length === 0,
      'the open, fixed text wins',
    );
    await client.sendNotification('textDocument/didClose', { textDocument: { uri: brokenUri } });
    const reverted = await lsp.diagnosticsOf(
      brokenUri,
      (p) => p.diagnostics.length > 0,
      'the disk again after close',
    );
    assert.deepEqual(reverted.diagnostics, onDisk.diagnostics);
    assert.equal(await lsp.stop(), 0);
  });

  it('serves JSON pipeline files too', async () => {
    const started = await startLspSession(workspace);
    const lsp = (session = started.session);
    const uri = pathToFileURL(path.join(workspace, 'tools.pipeline.json')).href;
    const text = '{"stages": {"lint": {"run": "x"}, "test": {"needs": ["lnit"], "run": "y"}}}';
    await lsp.client.sendNotification('textDocument/didOpen', {
      textDocument: { uri, languageId: 'json', version: 1, text },
    });
    const published = await lsp.diagnosticsOf(uri, (p) => p.version === 1, 'JSON diagnostics');
    assert.deepEqual(
      published.diagnostics.map((d) => [d.code, d.range.start]),
      [['unknown-need', { line: 0, character: text.indexOf('"lnit"') }]],
    );
    const symbols = await lsp.client.sendRequest<DocumentSymbol[]>('textDocument/documentSymbol', {
      textDocument: { uri },
    });
    assert.deepEqual(
      symbols[0]?.children?.map((s) => s.name),
      ['lint', 'test'],
    );
    const completion = await lsp.client.sendRequest<CompletionList>('textDocument/completion', {
      textDocument: { uri },
      position: { line: 0, character: text.indexOf('"lnit"') + 1 },
    });
    assert.deepEqual(
      completion.items.map((i) => i.label),
      ['lint'],
    );
    assert.equal(await lsp.stop(), 0);
  });
});
