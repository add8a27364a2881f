import * as assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type * as P from '@baton/protocol';
import {
  initializeServer,
  paramsOf,
  startServer,
  until,
  type StartedServer,
} from './serverHarness';

const ANNOTATE = `name: Annotate
stages:
  lint:
    cwd: pkg
    run: |
      echo "::warning file=src/a.py,line=3,title=Unused::x is never read"
      echo "::error file=/etc/hosts::absolute"
      echo "::notice::no file"
`;

describe('baton server: annotations and pipeline files in the workspace', function () {
  this.timeout(40000);
  let workspace = '';
  const servers: StartedServer[] = [];

  beforeEach(() => {
    workspace = mkdtempSync(path.join(os.tmpdir(), 'baton-rpc-ws-'));
  });
  afterEach(async () => {
    for (const server of servers.splice(0)) {
      server.client.dispose();
      if (server.child.exitCode === null) server.child.kill('SIGKILL');
      await server.exited;
    }
    rmSync(workspace, { recursive: true, force: true });
  });

  it('gives each annotation the absolute path of its file, against the stage cwd', async () => {
    mkdirSync(path.join(workspace, 'pipelines', 'pkg'), { recursive: true });
    writeFileSync(path.join(workspace, 'pipelines', 'annotate.pipeline.yaml'), ANNOTATE);
    const server = startServer(workspace);
    servers.push(server);
    await initializeServer(server, workspace);
    await server.client.sendRequest<P.StartRunResult>('baton/startRun', { pipeline: 'annotate' });
    const annotations = (): P.WireAnnotation[] =>
      paramsOf<P.DidAnnotateParams>(server, 'baton/didAnnotate').map((n) => n.annotation);
    await until(
      () => annotations().length === 3,
      15000,
      () => JSON.stringify(annotations()),
    );
    assert.deepEqual(
      annotations().map((a) => [a.file, a.path]),
      [
        ['src/a.py', path.join(workspace, 'pipelines', 'pkg', 'src', 'a.py')],
        ['/etc/hosts', '/etc/hosts'],
        [undefined, undefined],
      ],
    );
  });
});
