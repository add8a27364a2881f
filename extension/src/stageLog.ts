import * as vscode from 'vscode';
import type { DidAppendLogParams, GetLogParams, GetLogResult } from '@baton/protocol';
import { fanOutOf, findStage } from './model/itemWindow';
import { isUpToDateStage } from '@baton/protocol';
import type { ServerMirror } from './model/serverMirror';
import { runName } from './model/runLabel';
import type { AttemptSlice, StageLogAddress } from './model/stageLogText';
import { logFolds } from './model/logFolding';
import {
  STAGE_LOG_LANGUAGE,
  attemptLine,
  STAGE_LOG_SCHEME,
  parseStageLogPath,
  stageLogPath,
  stageLogText,
} from './model/stageLogText';

/** Bytes of each attempt's log a stage log document shows: its last page. */
const PAGE_BYTES = 512 * 1024;
/** Live output is gathered this long before an open stage log is redrawn. */
const REDRAW_MS = 300;

/**
 * "Show Stage Log": one stage's output alone, in a read-only document
 * (`baton-stage-log:/<run>/<stage>.log`), every attempt under its own rule,
 * the last page of each (a huge log is never read whole), redrawn while the
 * stage prints. Read with `baton/getLog`, like the run's channel. Its
 * attempts and groups fold (a `FoldingRangeProvider` for the scheme), and
 * its language, `baton-log`, colours annotations, groups and notes.
 */
export class StageLogDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly pending = new Map<string, ReturnType<typeof setTimeout>>();
  private readonly registrations: vscode.Disposable[];

  constructor(
    private readonly store: ServerMirror,
    private readonly readLog: (params: GetLogParams) => Promise<GetLogResult>,
    private readonly loadRun: (runId: string) => Promise<void>,
  ) {
    this.registrations = [
      vscode.workspace.registerTextDocumentContentProvider(STAGE_LOG_SCHEME, this),
      // Attempts and `::group::` sections fold, like an editor's regions.
      vscode.languages.registerFoldingRangeProvider(
        { scheme: STAGE_LOG_SCHEME },
        {
          provideFoldingRanges: (document) =>
            logFolds(document.getText()).map(
              (fold) =>
                new vscode.FoldingRange(fold.start, fold.end, vscode.FoldingRangeKind.Region),
            ),
        },
      ),
    ];
  }

  /** Opens the stage's log beside the editor; with `attempt`, at that attempt's rule. */
  async show(address: StageLogAddress, attempt?: number): Promise<void> {
    if (this.store.run(address.runId)?.detailed !== true) await this.loadRun(address.runId);
    const uri = vscode.Uri.from({ scheme: STAGE_LOG_SCHEME, path: stageLogPath(address) });
    const opened = await vscode.workspace.openTextDocument(uri);
    // Its own language colours the log's annotations, groups and attempt rules (`baton-log`).
    const document =
      opened.languageId === STAGE_LOG_LANGUAGE
        ? opened
        : await vscode.languages.setTextDocumentLanguage(opened, STAGE_LOG_LANGUAGE);
    const editor = await vscode.window.showTextDocument(document, {
      preview: true,
      preserveFocus: false,
    });
    const line = attempt === undefined ? -1 : attemptLine(document.getText(), attempt);
    if (line < 0) return;
    const at = new vscode.Position(line, 0);
    editor.selection = new vscode.Selection(at, at);
    editor.revealRange(new vscode.Range(at, at), vscode.TextEditorRevealType.AtTop);
  }

  /** Live output of a stage: redraws its open log document shortly after. */
  append(params: DidAppendLogParams): void {
    const uri = vscode.Uri.from({ scheme: STAGE_LOG_SCHEME, path: stageLogPath(params) });
    const key = uri.toString();
    const open = vscode.workspace.textDocuments.some((d) => d.uri.toString() === key);
    if (!open || this.pending.has(key)) return;
    this.pending.set(
      key,
      setTimeout(() => {
        this.pending.delete(key);
        this.changed.fire(uri);
      }, REDRAW_MS),
    );
  }

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const address = parseStageLogPath(uri.path);
    if (!address) return `Not a stage log: ${uri.toString()}`;
    const run = this.store.run(address.runId);
    const stage = run && findStage(run, address.stage);
    const header = `${run ? runName(run.summary) : address.runId} › ${address.stage}`;
    if (!stage && run && fanOutOf(address.stage) !== undefined) {
      // A unit no tree page holds (picked from a list the server gave): its latest attempt.
      const slice = await this.readLog({
        runId: address.runId,
        stage: address.stage,
        offset: -PAGE_BYTES,
        limit: PAGE_BYTES,
      });
      return stageLogText(header, [slice], 'Not started: no output.');
    }
    if (!stage) return stageLogText(header, [], 'This stage is not known (yet).');
    if (isUpToDateStage(stage))
      return stageLogText(header, [], `Up to date: it did not run. ${stage.plan ?? ''}`.trim());
    const slices: AttemptSlice[] = [];
    for (let attempt = 1; attempt <= stage.attempt; attempt += 1) {
      const slice = await this.readLog({
        runId: address.runId,
        stage: address.stage,
        attempt,
        offset: -PAGE_BYTES,
        limit: PAGE_BYTES,
      });
      slices.push(slice);
    }
    return stageLogText(header, slices, 'Not started: no output.');
  }

  dispose(): void {
    for (const timer of this.pending.values()) clearTimeout(timer);
    for (const registration of this.registrations) registration.dispose();
    this.changed.dispose();
  }
}
