import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BatonApi } from './batonHelpers';
import {
  EXTENSION_ID,
  activateBaton,
  copyFixturePipelines,
  runPipeline,
  until,
  waitForLockReleased,
  waitForPipelines,
  waitForRun,
  workspaceDir,
} from './batonHelpers';

/** The line of debuggable.js (1-based) the breakpoint goes on: `const line = …`. */
const BREAKPOINT_LINE = 8;

interface Stopped {
  readonly session: vscode.DebugSession;
  readonly threadId: number;
  readonly reason: string;
}

/** "Debug Stage" in real VS Code: a Node stage stops at a breakpoint under the built-in JavaScript debugger. */
describe('Debug Stage', function () {
  this.timeout(120_000);
  let api: BatonApi;
  const stops: Stopped[] = [];
  const disposables: vscode.Disposable[] = [];

  before(async () => {
    copyFixturePipelines(['debuggable']);
    const extensionPath = vscode.extensions.getExtension(EXTENSION_ID)?.extensionPath ?? '';
    const script = path.join(
      extensionPath,
      '..',
      'test',
      'fixtures',
      'workspace-extension',
      'debuggable.js',
    );
    const copy = path.join(workspaceDir(), 'debuggable.js');
    if (path.resolve(script) !== path.resolve(copy)) fs.copyFileSync(script, copy);
    disposables.push(
      vscode.debug.registerDebugAdapterTrackerFactory('*', {
        createDebugAdapterTracker: (session) => ({
          onDidSendMessage: (message: {
            type?: string;
            event?: string;
            body?: { threadId?: number; reason?: string };
          }) => {
            if (message.type === 'event' && message.event === 'stopped') {
              stops.push({
                session,
                threadId: message.body?.threadId ?? 0,
                reason: message.body?.reason ?? '',
              });
            }
          },
        }),
      }),
    );
    api = await activateBaton();
    await waitForPipelines(api, ['debuggable']);
  });
  after(() => {
    for (const disposable of disposables) disposable.dispose();
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
  });

  it('the built-in JavaScript debugger is there to attach', () => {
    assert.ok(vscode.extensions.getExtension('ms-vscode.js-debug'), 'ms-vscode.js-debug is loaded');
  });

  it('stops a Node stage at a breakpoint; after continuing, the stage finishes and the run succeeds', async () => {
    const run = await runPipeline(api, 'debuggable');
    const runId = run.summary.runId;
    await waitForRun(api, runId, 'failed');
    const script = path.join(workspaceDir(), 'debuggable.js');
    fs.writeFileSync(path.join(workspaceDir(), 'debuggable.ok'), '');
    const location = new vscode.Location(
      vscode.Uri.file(script),
      new vscode.Position(BREAKPOINT_LINE - 1, 0),
    );
    vscode.debug.addBreakpoints([new vscode.SourceBreakpoint(location)]);
    await waitForLockReleased('debuggable');

    await vscode.commands.executeCommand('baton.debugStage', runId, 'work');
    const stop = await until(
      () => stops.find((s) => s.reason === 'breakpoint'),
      `the debugger to stop at the breakpoint (stops so far: ${JSON.stringify(stops.map((s) => s.reason))})`,
      60_000,
    );
    const trace = (await stop.session.customRequest('stackTrace', { threadId: stop.threadId })) as {
      stackFrames: { line: number; source?: { path?: string } }[];
    };
    const top = trace.stackFrames[0];
    assert.equal(top?.line, BREAKPOINT_LINE);
    assert.match(top?.source?.path ?? '', /debuggable\.js$/);
    assert.equal(api.store.run(runId)?.stages.find((s) => s.id === 'work')?.status, 'running');

    await stop.session.customRequest('continue', { threadId: stop.threadId });
    const done = await waitForRun(api, runId, 'succeeded');
    assert.equal(done.stages.find((s) => s.id === 'work')?.status, 'succeeded');
    assert.equal(
      fs.readFileSync(path.join(workspaceDir(), 'debuggable.out'), 'utf8'),
      'hello from the debugged stage',
    );
    await until(
      () => vscode.debug.activeDebugSession === undefined || undefined,
      'the debug session to end',
    );
  });
});
