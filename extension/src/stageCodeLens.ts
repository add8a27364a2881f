import * as vscode from 'vscode';
import type { ServerMirror } from './model/serverMirror';
import { stageLenses } from './model/stageLenses';

/** The files Baton reads pipelines from (as the activation event and the server's discovery). */
const PIPELINE_FILES: vscode.DocumentSelector = {
  scheme: 'file',
  pattern: '**/*.pipeline.{yaml,yml,json}',
};

/**
 * Shows Run This Stage, Run From Here and Force Run above each stage of a
 * pipeline file (`stageLenses`), from the pipelines the server last read;
 * redrawn when the server's pipeline list changes.
 */
export function registerStageCodeLens(store: ServerMirror): vscode.Disposable {
  const changed = new vscode.EventEmitter<void>();
  const provider: vscode.CodeLensProvider = {
    onDidChangeCodeLenses: changed.event,
    provideCodeLenses(document) {
      const pipeline = store.pipelines.find((p) => p.file === document.uri.fsPath);
      if (!pipeline) return [];
      return stageLenses(pipeline).map(
        (lens) =>
          new vscode.CodeLens(new vscode.Range(lens.line, 0, lens.line, 0), {
            title: lens.title,
            command: lens.command,
            arguments: [...lens.arguments],
          }),
      );
    },
  };
  return vscode.Disposable.from(
    changed,
    store.onDidChange((change) => {
      if (change.kind === 'pipelines') changed.fire();
    }),
    vscode.languages.registerCodeLensProvider(PIPELINE_FILES, provider),
  );
}
