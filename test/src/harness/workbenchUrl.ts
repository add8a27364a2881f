/** What the workbench should load besides the workspace folder. */
export interface WorkbenchLoad {
  /** Absolute path of the workspace folder to open. */
  readonly workspace: string;
  /** Absolute path of the extension under development. */
  readonly extensionDevelopmentPath: string;
  /**
   * Absolute path of a compiled module exporting `run()`: the extension host
   * runs it (the `@vscode/test-electron` contract) and the workbench reports
   * its outcome through `window.codeAutomationExit`.
   */
  readonly extensionTestsPath?: string;
}

/**
 * code-server serves every file of its machine under this remote authority;
 * the workbench resolves `vscode-remote://remote/<path>` against the server.
 */
const REMOTE_AUTHORITY = 'remote';

/**
 * Builds the workbench URL. code-server rejects `--extensionDevelopmentPath`
 * on its command line, but the web workbench accepts the same options as a
 * JSON `payload` query parameter of [name, value] pairs.
 */
export function workbenchUrl(serverUrl: string, load: WorkbenchLoad): string {
  const payload: [string, string][] = [
    ['extensionDevelopmentPath', remoteUri(load.extensionDevelopmentPath)],
  ];
  if (load.extensionTestsPath !== undefined) {
    payload.push(['extensionTestsPath', remoteUri(load.extensionTestsPath)]);
  }
  const url = new URL(serverUrl);
  url.searchParams.set('folder', load.workspace);
  url.searchParams.set('payload', JSON.stringify(payload));
  return url.toString();
}

function remoteUri(absolutePath: string): string {
  if (!absolutePath.startsWith('/')) {
    throw new Error(`expected an absolute path, got ${JSON.stringify(absolutePath)}`);
  }
  return `vscode-remote://${REMOTE_AUTHORITY}${encodeURI(absolutePath)}`;
}
