import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import { waitFor } from '../harness/deadline';
import { activateBaton, until, workspaceDir } from './batonHelpers';

const TEXT = [
  'name: Language features',
  'inputs:',
  '  topic:',
  '    prompt: What about?',
  'stages:',
  '  fetch:',
  '    run: echo ${{ inputs.topic }}',
  '  build:',
  '    needs: [fetch]',
  '    run: make',
  '',
].join('\n');

/** Baton's diagnostics of `uri` (the language server's), as the Problems panel holds them. */
function batonDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'baton');
}

describe('Baton language features in VS Code', function () {
  this.timeout(90_000);
  let document: vscode.TextDocument;

  before(async () => {
    const file = path.join(workspaceDir(), 'language.pipeline.yaml');
    fs.writeFileSync(file, TEXT);
    await activateBaton();
    document = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
    await vscode.window.showTextDocument(document);
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  it('shows the stages and inputs in the outline', async () => {
    const found = await waitFor(
      async () => {
        const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[] | undefined>(
          'vscode.executeDocumentSymbolProvider',
          document.uri,
        );
        return symbols !== undefined && symbols.length > 0 ? symbols : undefined;
      },
      { what: 'document symbols from the language server', timeoutMs: 20_000, intervalMs: 50 },
    );
    const names = found.map((s) => s.name);
    assert.deepEqual(names, ['name', 'inputs', 'stages']);
    const stages = found.find((s) => s.name === 'stages');
    assert.deepEqual(
      stages?.children.map((s) => s.name),
      ['fetch', 'build'],
    );
  });

  it('reports a problem of an unsaved edit once, and its quick fix repairs it', async () => {
    const edit = new vscode.WorkspaceEdit();
    edit.insert(document.uri, new vscode.Position(9, 0), '    tiemout: 5m\n');
    assert.ok(await vscode.workspace.applyEdit(edit));
    assert.ok(document.isDirty, 'the edit is not saved');
    const problems = await until(() => {
      const list = batonDiagnostics(document.uri).filter((d) => d.message.includes('tiemout'));
      return list.length > 0 ? list : undefined;
    }, 'the diagnostic of the unsaved edit');
    const all = vscode.languages
      .getDiagnostics(document.uri)
      .filter((d) => d.message.includes('tiemout'));
    assert.equal(all.length, 1, 'shown once, not once per source');
    const problem = problems[0];
    assert.ok(problem);
    assert.equal(problem.range.start.line, 9);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      document.uri,
      problem.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const fix = actions.find((a) => a.title === 'Change "tiemout" to "timeout"');
    assert.ok(fix?.edit, `a quick fix among ${actions.map((a) => a.title).join(', ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.equal(document.lineAt(9).text, '    timeout: 5m');
    await until(
      () => batonDiagnostics(document.uri).length === 0,
      'the diagnostics to clear after the fix',
    );
  });

  it('completes stage ids in needs and inputs in expressions, hovers keys, goes to a stage', async () => {
    const edit = new vscode.WorkspaceEdit();
    edit.insert(
      document.uri,
      new vscode.Position(document.lineCount - 1, 0),
      '  test:\n    needs: \n',
    );
    assert.ok(await vscode.workspace.applyEdit(edit));
    const needsLine = document.lineCount - 2;
    const needs = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      document.uri,
      new vscode.Position(needsLine, '    needs: '.length),
    );
    const labels = needs.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(labels.includes('fetch') && labels.includes('build'), labels.join(', '));
    const expression = new vscode.WorkspaceEdit();
    expression.insert(document.uri, new vscode.Position(needsLine + 1, 0), '    run: echo ${{ \n');
    assert.ok(await vscode.workspace.applyEdit(expression));
    const inputs = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      document.uri,
      new vscode.Position(needsLine + 1, '    run: echo ${{ '.length),
    );
    const inserted = inputs.items.map((i) => i.insertText).filter((t) => typeof t === 'string');
    assert.ok(inserted.includes('inputs.topic }}'), inserted.join(', '));
    const hover = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      document.uri,
      new vscode.Position(8, '    ne'.length),
    );
    const text = hover
      .flatMap((h) => h.contents)
      .map((c) => (typeof c === 'string' ? c : c.value))
      .join('\n');
    assert.match(text, /Stages that must succeed before this one starts/);
    const definition = await vscode.commands.executeCommand<vscode.Location[]>(
      'vscode.executeDefinitionProvider',
      document.uri,
      new vscode.Position(8, '    needs: [f'.length),
    );
    assert.equal(definition[0]?.range.start.line, 5);
  });
});
