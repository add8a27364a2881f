import * as assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { BatonApi, TreeNode } from './batonHelpers';
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

type ShownGraph = ReturnType<BatonApi['graphsShown']>[number];

/** Items of the `wide` pipeline: more than two pages of the tree. */
const WIDE_ITEMS = 250;

/** The children of a tree row once they are more than a "Loading items…" row. */
function loadedChildren(api: BatonApi, node: TreeNode): Promise<TreeNode[]> {
  return until(() => {
    const children = api.tree.children(node);
    return children.some((child) => child.kind === 'stage') ? children : undefined;
  }, 'the fanned-out row’s items to be read from the server');
}

/** Fanned-out stages in the tree and the graph, the graph of unsaved text, and a server restart under an open graph. */
describe('Fan-out in the editor, and the graph through edits and restarts', function () {
  this.timeout(120_000);
  let api: BatonApi;

  before(async () => {
    copyFixturePipelines(['items', 'gate', 'wide'], 'pipelines-cockpit');
    const items = path.join(workspaceDir(), 'items');
    fs.mkdirSync(items, { recursive: true });
    for (const name of ['a', 'b', 'c']) fs.writeFileSync(path.join(items, `${name}.txt`), name);
    const wide = path.join(workspaceDir(), 'wide');
    fs.mkdirSync(wide, { recursive: true });
    for (let index = 0; index < WIDE_ITEMS; index++)
      fs.writeFileSync(path.join(wide, `${String(index).padStart(3, '0')}.txt`), `${index}`);
    api = await activateBaton();
    await waitForPipelines(api, ['items', 'gate', 'wide']);
  });

  it('shows a foreach stage as one row with counts, and Retry Failed Items re-runs only the failed item', async () => {
    const { summary } = await runPipeline(api, 'items');
    const runId = summary.runId;
    await waitForRun(api, runId, 'failed');
    const each: TreeNode = { kind: 'stage', runId, stageId: 'each' };
    const runChildren = api.tree.children({ kind: 'run', runId });
    assert.deepEqual(
      runChildren.map((node) => (node.kind === 'stage' ? node.stageId : node.kind)),
      ['each', 'report'],
      'one row for the fanned-out stage, its items not listed flat',
    );
    const row = await until(() => {
      const view = api.tree.describe(each, Date.now());
      return view?.contextValue.endsWith('.failedItems') ? view : undefined;
    }, 'the fanned-out row to offer Retry Failed Items');
    assert.match(row.description ?? '', /^2\/3 · 1 failed · 100%/);
    const items = await loadedChildren(api, each);
    assert.equal(api.tree.describe(items[0]!, Date.now())?.label, '[items/b.txt]');
    // An item row behaves as a stage row: its own log opens under its unit id.
    await vscode.commands.executeCommand('baton.showStageLog', runId, 'each[items%2Fb.txt]');
    const log = await until(
      () =>
        vscode.window.activeTextEditor?.document.uri.scheme === 'baton-stage-log'
          ? vscode.window.activeTextEditor.document.getText()
          : undefined,
      'the failed item’s own log',
    );
    assert.match(log, /item items\/b\.txt/);
    assert.doesNotMatch(log, /item items\/a\.txt/, 'only that item’s output');
    const unitsHeld = (): readonly { id: string; attempt: number }[] =>
      api.store.run(runId)?.items?.['each']?.units ?? [];
    const attemptsBefore = new Map(unitsHeld().map((unit) => [unit.id, unit.attempt]));
    assert.equal(attemptsBefore.size, 3, 'the tree read the three items');

    fs.writeFileSync(path.join(workspaceDir(), 'fixed'), '');
    await waitForLockReleased('items');
    await vscode.commands.executeCommand('baton.retryFailedItems', each);
    await until(() => {
      const now = api.store.run(runId);
      return now?.summary.status === 'succeeded' ? now : undefined;
    }, 'the retried run to succeed');
    // The tree reads the expanded row's items again once events changed them.
    await until(() => {
      api.tree.children(each);
      const window = api.store.run(runId)?.items?.['each'];
      return window?.stale === false && window.units.every((unit) => unit.status === 'succeeded');
    }, 'the expanded row’s items read again after the retry');
    const attempt = (id: string): number | undefined =>
      unitsHeld().find((unit) => unit.id === id)?.attempt;
    assert.equal(
      attempt('each[items%2Fb.txt]'),
      (attemptsBefore.get('each[items%2Fb.txt]') ?? 0) + 1,
    );
    assert.equal(attempt('each[items%2Fa.txt]'), attemptsBefore.get('each[items%2Fa.txt]'));
    assert.equal(attempt('each[items%2Fc.txt]'), attemptsBefore.get('each[items%2Fc.txt]'));
    fs.rmSync(path.join(workspaceDir(), 'fixed'), { force: true });

    await vscode.commands.executeCommand('baton.showGraph', { kind: 'run', runId });
    const box = await until(
      () =>
        api
          .graphsShown()
          .find((graph) => graph.runId === runId)
          ?.nodes.find((node) => node.stage === 'each' && node.items?.done === 3),
      'the graph’s fanned-out box with its items done',
    );
    assert.equal(box.fanOut, true);
    assert.equal(box.detail, '3/3');
  });

  it('shows a 250-item stage as one row with counts, and reads its items from the server a page at a time', async () => {
    const { summary } = await runPipeline(api, 'wide');
    const runId = summary.runId;
    await waitForRun(api, runId, 'succeeded');
    const each: TreeNode = { kind: 'stage', runId, stageId: 'each' };
    const row = await until(() => {
      const view = api.tree.describe(each, Date.now());
      return view?.description?.startsWith(`${WIDE_ITEMS}/${WIDE_ITEMS}`) ? view : undefined;
    }, 'the fanned-out row’s counts');
    assert.equal(row.description, `${WIDE_ITEMS}/${WIDE_ITEMS} · 100%`);
    const asked = api.requestsSent('baton/listItems');
    let items = await loadedChildren(api, each);
    assert.equal(items.length, 101, 'a page of 100 items and a “Show more” row');
    assert.equal(api.tree.describe(items[0]!, Date.now())?.label, '[wide/000.txt]');
    const more = items.at(-1)!;
    assert.equal(api.tree.describe(more, Date.now())?.label, 'Show 100 more…');
    assert.equal(
      api.tree.describe(more, Date.now())?.description,
      `100 of ${WIDE_ITEMS} items shown`,
    );
    await vscode.commands.executeCommand('baton.showMoreItems', runId, 'each');
    items = await until(() => {
      const now = api.tree.children(each);
      return now.length === 201 ? now : undefined;
    }, 'the second page');
    assert.equal(api.tree.describe(items.at(-1)!, Date.now())?.label, 'Show 50 more…');
    assert.ok(api.requestsSent('baton/listItems') >= asked + 2, 'each page was a baton/listItems');
    const run = api.store.run(runId);
    assert.equal(run?.stages.length, 1, 'the run lists its stage, none of its units');
    assert.equal(run?.items?.['each']?.units.length, 200, 'only the pages read are held');
  });

  it('draws the graph of a pipeline file’s unsaved text, and a half-written file’s problems', async () => {
    const file = path.join(workspaceDir(), 'gate.pipeline.yaml');
    const onDisk = fs.readFileSync(file, 'utf8');
    const document = await vscode.workspace.openTextDocument(file);
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('baton.showGraph', {
      kind: 'pipeline',
      pipelineId: 'gate',
    });
    const ofGate = (probe: (graph: ShownGraph) => boolean): ShownGraph | undefined =>
      api.graphsShown().find((graph) => graph.pipelineId === 'gate' && probe(graph));
    await until(() => ofGate((graph) => graph.nodes.length === 2), 'the graph of the file on disk');
    const edit = new vscode.WorkspaceEdit();
    edit.insert(
      document.uri,
      new vscode.Position(document.lineCount, 0),
      '  later:\n    needs: [after]\n    run: echo later\n',
    );
    await vscode.workspace.applyEdit(edit);
    const edited = await until(
      () => ofGate((graph) => graph.unsaved === true && graph.nodes.length === 3),
      'the graph to follow the unsaved stage',
    );
    assert.ok(edited.nodes.some((node) => node.stage === 'later'));
    const breakIt = new vscode.WorkspaceEdit();
    breakIt.insert(document.uri, new vscode.Position(document.lineCount, 0), '  oops: [\n');
    await vscode.workspace.applyEdit(breakIt);
    const broken = await until(
      () => ofGate((graph) => graph.unsaved === true && (graph.problems?.length ?? 0) > 0),
      'the half-written file’s problems instead of a blank graph',
    );
    assert.equal(broken.nodes.length, 0);
    // Back to the text on disk, saved, so the file is the same and no longer dirty.
    const restore = new vscode.WorkspaceEdit();
    const whole = new vscode.Range(0, 0, document.lineCount, 0);
    restore.replace(document.uri, whole, onDisk);
    await vscode.workspace.applyEdit(restore);
    await document.save();
    await until(
      () => ofGate((graph) => graph.unsaved !== true && graph.nodes.length === 2),
      'the graph of the file on disk once the edits are undone and saved',
    );
    assert.equal(fs.readFileSync(file, 'utf8'), onDisk);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('keeps an open graph live across a server restart: it catches up and shows the run’s end', async () => {
    const go = path.join(workspaceDir(), 'go');
    fs.rmSync(go, { force: true });
    await waitForLockReleased('gate');
    // Another process runs the pipeline, so the run outlives the editor's server.
    const extensionPath = vscode.extensions.getExtension(EXTENSION_ID)?.extensionPath ?? '';
    const cli = spawn(
      process.execPath,
      [path.join(extensionPath, '..', 'server', 'bin', 'baton.js'), 'run', 'gate.pipeline.yaml'],
      { cwd: workspaceDir(), env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } },
    );
    let printed = '';
    cli.stdout.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    cli.stderr.on('data', (chunk: Buffer) => (printed += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => cli.on('exit', resolve));
    try {
      const run = await until(
        () =>
          api.store
            .runsOf('gate')
            .find((r) => r.stages.some((s) => s.id === 'wait' && s.status === 'running')),
        'the CLI’s run of gate to show up, running',
      ).catch((error: unknown) => {
        const runs = api.store
          .runsOf('gate')
          .map((r) => [r.summary.status, r.stages.map((s) => [s.id, s.status])]);
        throw new Error(
          `${String(error)}; the CLI printed ${printed}; the store has ${JSON.stringify(runs)}`,
        );
      });
      const runId = run.summary.runId;
      await vscode.commands.executeCommand('baton.showGraph', { kind: 'run', runId });
      await until(
        () => api.graphsShown().find((graph) => graph.runId === runId),
        'the graph of the run',
      );
      await vscode.commands.executeCommand('baton.restartServer');
      await until(() => api.serverState() === 'running', 'the server to run again');
      fs.writeFileSync(go, '');
      const graph = await until(
        () =>
          api
            .graphsShown()
            .find(
              (shown) =>
                shown.runId === runId && shown.nodes.every((node) => node.tone === 'succeeded'),
            ),
        'the open graph to show every stage succeeded after the restart',
      );
      assert.deepEqual(graph.nodes.map((node) => node.stage).sort(), ['after', 'wait']);
      assert.equal(await exited, 0);
    } finally {
      if (cli.exitCode === null) cli.kill('SIGKILL');
      fs.rmSync(go, { force: true });
    }
  });
});
